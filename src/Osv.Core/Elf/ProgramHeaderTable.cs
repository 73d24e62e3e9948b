namespace Osv.Core.Elf;

/// <summary>
/// A loaded object's program headers where they lie in memory (what dl_iterate_phdr hands out as
/// dlpi_phdr/dlpi_phnum), with its load bias: the questions the introspection calls ask of it — does
/// a PT_LOAD cover this address, where is the PT_GNU_EH_FRAME segment, what range do the loads span.
/// </summary>
public readonly unsafe struct ProgramHeaderTable
{
    private const ulong PageSize = 4096;

    public readonly byte* Entries;
    public readonly int Count;
    public readonly ulong Bias;

    public ProgramHeaderTable(byte* entries, int count, ulong bias)
    {
        Entries = entries;
        Count = entries == null ? 0 : count;
        Bias = bias;
    }

    public ProgramHeader At(int index) => ElfImage.ReadProgramHeader(Entries + (ulong)index * ProgramHeader.Size);

    /// <summary>True when a PT_LOAD segment's memory (p_vaddr + bias, p_memsz bytes) holds <paramref name="address"/>.</summary>
    public bool Covers(ulong address) => TryFindLoad(address, out _);

    /// <summary>The PT_LOAD segment whose memory holds <paramref name="address"/>.</summary>
    public bool TryFindLoad(ulong address, out ProgramHeader segment)
    {
        segment = default;
        if (address < Bias)
            return false;
        ulong unbiased = address - Bias;
        for (int i = 0; i < Count; i++)
        {
            segment = At(i);
            if (segment.Type == ProgramHeaderType.Load && unbiased >= segment.VirtualAddress && unbiased < segment.VirtualEnd)
                return true;
        }
        segment = default;
        return false;
    }

    /// <summary>The first segment of type <paramref name="type"/> (PT_GNU_EH_FRAME, PT_DYNAMIC, ...).</summary>
    public bool TryFind(ProgramHeaderType type, out ProgramHeader segment)
    {
        for (int i = 0; i < Count; i++)
        {
            segment = At(i);
            if (segment.Type == type)
                return true;
        }
        segment = default;
        return false;
    }

    /// <summary>
    /// The run-time range the PT_LOAD segments span, rounded out to pages as they are mapped
    /// (dl_find_object's dlfo_map_start/dlfo_map_end); false when there is no PT_LOAD.
    /// </summary>
    public bool TryGetExtent(out ulong start, out ulong end)
    {
        start = ulong.MaxValue;
        end = 0;
        for (int i = 0; i < Count; i++)
        {
            ProgramHeader segment = At(i);
            if (segment.Type != ProgramHeaderType.Load || segment.MemorySize == 0)
                continue;
            if (segment.VirtualAddress < start)
                start = segment.VirtualAddress;
            if (segment.VirtualEnd > end)
                end = segment.VirtualEnd;
        }
        if (end == 0)
        {
            start = 0;
            return false;
        }
        start = Bias + (start & ~(PageSize - 1));
        end = Bias + ((end + PageSize - 1) & ~(PageSize - 1));
        return true;
    }
}
