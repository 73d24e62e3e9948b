namespace Osv.Core.Elf;

/// <summary>The symbol resolver's answer: where the definition is, and for TLS which module's block holds it.</summary>
public struct ResolvedSymbol
{
    /// <summary>The run-time address of the definition; for a TLS symbol its offset in the defining module's TLS block.</summary>
    public ulong Address;
    /// <summary>The definition's st_size (COPY relocations copy this many bytes).</summary>
    public ulong Size;
    /// <summary>GnuIndirectFunction: Address is a resolver to call; Tls: Address is a block offset.</summary>
    public SymbolType Type;
    public ulong TlsModuleId;
    /// <summary>Thread pointer + this = the defining module's static TLS block (negative on x86-64, variant II).</summary>
    public long TlsBlockOffset;
}
