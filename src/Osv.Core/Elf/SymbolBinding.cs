namespace Osv.Core.Elf;

/// <summary>ELF64_ST_BIND values.</summary>
public enum SymbolBinding : byte
{
    Local = 0,
    Global = 1,
    /// <summary>An undefined weak reference resolves to 0 instead of failing the load.</summary>
    Weak = 2,
    GnuUnique = 10,
}
