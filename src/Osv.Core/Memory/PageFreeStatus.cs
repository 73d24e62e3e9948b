namespace Osv.Core.Memory;

/// <summary>What <see cref="PhysicalPageAllocator.FreePages"/> did. Anything but <see cref="Freed"/> left the allocator untouched.</summary>
public enum PageFreeStatus
{
    Freed,

    /// <summary>A count of zero pages.</summary>
    ZeroCount,

    /// <summary>The address is not on a 4 KiB boundary.</summary>
    NotPageAligned,

    /// <summary>The range is not wholly inside the usable pages of one region.</summary>
    OutsideRegions,

    /// <summary>At least one page of the range is free already (double free, or never allocated).</summary>
    NotAllocated,
}
