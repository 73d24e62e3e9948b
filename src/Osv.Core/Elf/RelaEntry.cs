namespace Osv.Core.Elf;

/// <summary>One Elf64_Rela: where (a virtual address), what type, which symbol, and the addend.</summary>
public struct RelaEntry
{
    public ulong Offset;
    public uint Type;
    public uint SymbolIndex;
    public long Addend;

    public X64RelocationType X64Type => (X64RelocationType)Type;
}
