namespace Osv.Core.Elf;

/// <summary>ELF64_ST_TYPE values.</summary>
public enum SymbolType : byte
{
    NoType = 0,
    Object = 1,
    Function = 2,
    Section = 3,
    File = 4,
    Common = 5,
    /// <summary>The value is an offset in the defining module's TLS block, not an address.</summary>
    Tls = 6,
    /// <summary>STT_GNU_IFUNC: the value is a resolver; the symbol's address is what calling it returns.</summary>
    GnuIndirectFunction = 10,
}
