namespace Osv.Core.Elf;

/// <summary>A DT_RELA or DT_JMPREL table; the dynamic-section decoder has already checked it is readable.</summary>
public readonly unsafe struct RelaTable
{
    private readonly byte* _entries;
    public readonly ulong Count;

    private RelaTable(byte* entries, ulong count)
    {
        _entries = entries;
        Count = entries == null ? 0 : count;
    }

    public static RelaTable Relocations(in DynamicSection dynamic) => Open(dynamic, dynamic.Rela, dynamic.RelaEntryCount);

    public static RelaTable PltRelocations(in DynamicSection dynamic) => Open(dynamic, dynamic.JumpRelocations, dynamic.PltRelocationCount);

    private static RelaTable Open(in DynamicSection dynamic, ulong address, ulong count)
    {
        if (address == 0 || !dynamic.View.TryGetPointer(address, count * DynamicSection.RelaEntrySize, out byte* entries))
            return default;
        return new RelaTable(entries, count);
    }

    public bool TryGet(ulong index, out RelaEntry entry)
    {
        entry = default;
        if (index >= Count)
            return false;
        byte* at = _entries + index * DynamicSection.RelaEntrySize;
        entry.Offset = ElfBytes.Read64(at);
        ulong info = ElfBytes.Read64(at + 8);
        entry.Type = (uint)info;
        entry.SymbolIndex = (uint)(info >> 32);
        entry.Addend = (long)ElfBytes.Read64(at + 16);
        return true;
    }
}
