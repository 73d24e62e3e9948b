namespace Osv.Core.Memory;

/// <summary>
/// The usable-memory regions of a <see cref="PhysicalPageAllocator"/>, kept sorted by address in
/// fixed-size buffers (no heap exists when it is filled). Each region begins with its own page
/// bitmap; the usable pages follow it.
/// </summary>
internal unsafe struct PageRegionTable
{
    /// <summary>Firmware memory maps have a few dozen entries at most; this leaves ample room.</summary>
    public const int Capacity = 128;

    private fixed ulong _regionStart[Capacity];   // first byte of the region (where its bitmap lives)
    private fixed ulong _firstUsablePage[Capacity];
    private fixed ulong _usablePageCount[Capacity];
    private int _count;

    public readonly int Count => _count;

    public readonly bool IsFull => _count == Capacity;

    public readonly nuint RegionStart(int region) => (nuint)_regionStart[region];

    public readonly nuint FirstUsablePage(int region) => (nuint)_firstUsablePage[region];

    public readonly nuint UsablePageCount(int region) => (nuint)_usablePageCount[region];

    /// <summary>One past the last byte of the region.</summary>
    public readonly nuint RegionEnd(int region) =>
        (nuint)_firstUsablePage[region] + (nuint)_usablePageCount[region] * PhysicalPageAllocator.PageSize;

    public readonly ulong* Bitmap(int region) => (ulong*)(nuint)_regionStart[region];

    /// <summary>True if [start, end) shares a byte with a region already in the table.</summary>
    public readonly bool Overlaps(nuint start, nuint end)
    {
        for (int i = 0; i < _count; i++)
        {
            if (start < RegionEnd(i) && RegionStart(i) < end)
                return true;
        }
        return false;
    }

    /// <summary>Adds a region in address order. The caller checked capacity and overlap.</summary>
    public int Insert(nuint regionStart, nuint firstUsablePage, nuint usablePageCount)
    {
        int position = _count;
        while (position > 0 && (nuint)_regionStart[position - 1] > regionStart)
        {
            _regionStart[position] = _regionStart[position - 1];
            _firstUsablePage[position] = _firstUsablePage[position - 1];
            _usablePageCount[position] = _usablePageCount[position - 1];
            position--;
        }
        _regionStart[position] = regionStart;
        _firstUsablePage[position] = firstUsablePage;
        _usablePageCount[position] = usablePageCount;
        _count++;
        return position;
    }

    /// <summary>The region whose usable pages contain <paramref name="address"/>, or -1.</summary>
    public readonly int FindUsable(nuint address)
    {
        int low = 0;
        int high = _count - 1;
        while (low <= high)
        {
            int middle = low + (high - low) / 2;
            if (address < (nuint)_firstUsablePage[middle])
                high = middle - 1;
            else if (address >= RegionEnd(middle))
                low = middle + 1;
            else
                return middle;
        }
        return -1;
    }
}
