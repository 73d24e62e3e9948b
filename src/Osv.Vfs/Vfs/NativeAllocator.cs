namespace Osv.Vfs.Vfs;

/// <summary>
/// The caller's memory functions, as <see cref="Rofs.RofsVolume.Mount"/> takes them: the kernel passes
/// its heap, host tests a tracking allocator that finds leaks.
/// </summary>
public readonly unsafe struct NativeAllocator
{
    public NativeAllocator(delegate*<nuint, void*> allocate, delegate*<void*, void> free)
    {
        Allocate = allocate;
        Free = free;
    }

    /// <summary>Returns at least the given number of bytes, 8-byte aligned, or null.</summary>
    public delegate*<nuint, void*> Allocate { get; }
    public delegate*<void*, void> Free { get; }
}
