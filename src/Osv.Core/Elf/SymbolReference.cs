namespace Osv.Core.Elf;

/// <summary>What a relocation asks the symbol resolver for: the referencing object's symbol and the version it requires.</summary>
public struct SymbolReference
{
    public ElfSymbol Symbol;
    /// <summary>Meaningful when <see cref="HasVersion"/>: the DT_VERNEED requirement (or, rarely, a DT_VERDEF name).</summary>
    public SymbolVersion Version;
    public bool HasVersion;
    public X64RelocationType RelocationType;

    /// <summary>A COPY relocation's definition must come from some object other than the executable itself.</summary>
    public bool ExcludesReferencingObject => RelocationType == X64RelocationType.Copy;
}
