namespace Osv.Core.Memory;

/// <summary>
/// Header at the start of the page run behind a large heap block (over <see cref="SizeClasses.MaxSmallSize"/> bytes).
/// The block itself starts <see cref="Size"/> bytes into the run, so it is 16-byte aligned but never
/// page aligned, which tells it apart from a pointer into the middle of some other run.
/// </summary>
internal unsafe struct LargeBlockHeader
{
    /// <summary>Magic mixed with the header's own address, so user data copied elsewhere does not pass as a header.</summary>
    public ulong Check;
    public nuint PageCount;
    public nuint RequestedSize;
    public ulong Reserved; // pads the header to 32 bytes so the block is 16-byte aligned

    public const nuint Size = 32;
    public const ulong Magic = 0x4C415247_45424C4B; // "LARGEBLK"

    public static ulong CheckFor(LargeBlockHeader* header) => Magic ^ (ulong)(nuint)header;

    /// <summary>Bytes the caller may use in a run of <paramref name="pageCount"/> pages.</summary>
    public static nuint CapacityOf(nuint pageCount) => pageCount * PhysicalPageAllocator.PageSize - Size;

    /// <summary>Pages needed for a block of <paramref name="size"/> bytes, or 0 if the size cannot be represented.</summary>
    public static nuint PagesFor(nuint size)
    {
        if (size > nuint.MaxValue - Size - PhysicalPageAllocator.PageSize)
            return 0;
        return (size + Size + PhysicalPageAllocator.PageSize - 1) / PhysicalPageAllocator.PageSize;
    }
}
