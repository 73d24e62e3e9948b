namespace Osv.Core.Memory;

/// <summary>What <see cref="PhysicalPageAllocator.AddRegion"/> did with a memory range.</summary>
public enum AddRegionStatus
{
    /// <summary>The range's whole pages (less its bitmap) are now allocatable.</summary>
    Added,

    /// <summary>After rounding inward the range holds fewer than two pages (bitmap plus one page): ignored.</summary>
    TooSmall,

    /// <summary>The range overlaps a region added earlier: ignored, so no page is handed out twice.</summary>
    Overlaps,

    /// <summary>The fixed region table is full: ignored.</summary>
    TableFull,
}
