namespace Osv.Core.Memory;

/// <summary>
/// The slot sizes of the kernel heap's slabs. Neighbouring classes differ by at most 128 bytes,
/// so the unused tail of a slot (its slack) always fits in one byte, and no class wastes more
/// than 1/4 of a slot to rounding above 256 bytes:
///   16..256 in steps of 16, 320..512 in steps of 64, 640..1024 in steps of 128.
/// Computed, not tabled, so nothing needs static data initialization.
/// </summary>
internal static class SizeClasses
{
    public const int Count = 24;
    public const uint MaxSmallSize = 1024;

    private const int StepOf16Classes = 16;  // 16 .. 256
    private const int StepOf64Classes = 4;   // 320 .. 512

    /// <summary>The class of a request of <paramref name="size"/> bytes (at most <see cref="MaxSmallSize"/>); 0 bytes use the smallest class.</summary>
    public static int IndexFor(nuint size)
    {
        if (size <= 256)
            return size == 0 ? 0 : (int)((size - 1) / 16);
        if (size <= 512)
            return StepOf16Classes + (int)((size - 257) / 64);
        return StepOf16Classes + StepOf64Classes + (int)((size - 513) / 128);
    }

    public static uint SlotSize(int classIndex)
    {
        if (classIndex < StepOf16Classes)
            return (uint)(16 * (classIndex + 1));
        if (classIndex < StepOf16Classes + StepOf64Classes)
            return (uint)(256 + 64 * (classIndex - StepOf16Classes + 1));
        return (uint)(512 + 128 * (classIndex - StepOf16Classes - StepOf64Classes + 1));
    }
}
