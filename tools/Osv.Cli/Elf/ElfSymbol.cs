namespace Osv.Cli.Elf;

/// <summary>The symbol types (low nibble of st_info) the CLI distinguishes.</summary>
public enum ElfSymbolType : byte
{
    NoType = 0,
    Object = 1,
    Function = 2,
    Section = 3,
    File = 4,
    Common = 5,
    ThreadLocal = 6,
}

/// <summary>The symbol bindings (high nibble of st_info).</summary>
public enum ElfSymbolBinding : byte
{
    Local = 0,
    Global = 1,
    Weak = 2,
}

/// <summary>
/// One .symtab entry. <see cref="SectionIndex"/> is already resolved through SHT_SYMTAB_SHNDX
/// for symbols in sections numbered past 0xff00; <see cref="HasReservedSectionIndex"/> marks the
/// reserved indices instead (absolute 0xfff1, common 0xfff2, ...).
/// </summary>
public sealed record ElfSymbol(
    string Name,
    ulong Value,
    ulong Size,
    ElfSymbolType Type,
    ElfSymbolBinding Binding,
    uint SectionIndex,
    bool HasReservedSectionIndex = false)
{
    public const uint UndefinedSection = 0;

    /// <summary>Defined in a real section (not undefined, absolute or common).</summary>
    public bool IsInSection => SectionIndex != UndefinedSection && !HasReservedSectionIndex;
}
