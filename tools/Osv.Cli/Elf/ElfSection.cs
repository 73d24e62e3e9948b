namespace Osv.Cli.Elf;

/// <summary>One ELF64 section header (the fields the CLI uses).</summary>
public sealed record ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Flags,
    ulong Address,
    ulong FileOffset,
    ulong Size,
    uint Link,
    ulong EntrySize)
{
    public const uint TypeNoBits = 8;
    public const uint TypeSymbolTable = 2;
    public const uint TypeDynamicSymbolTable = 11;
    public const uint TypeSymbolTableSectionIndices = 18;

    public const ulong FlagAlloc = 0x2;
    public const ulong FlagExecute = 0x4;

    public bool IsExecutable => (Flags & FlagExecute) != 0;
}
