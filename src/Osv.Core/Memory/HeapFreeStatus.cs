namespace Osv.Core.Memory;

/// <summary>What <see cref="KernelHeap.Free"/> did. Anything but <see cref="Freed"/> left the heap untouched.</summary>
public enum HeapFreeStatus
{
    /// <summary>The block was freed (or the pointer was null, which is a no-op).</summary>
    Freed,

    /// <summary>The pointer is not in a page the heap owns: never allocated here, or its page was already released.</summary>
    NotHeapPointer,

    /// <summary>The pointer is inside a heap page but not at the start of a block.</summary>
    NotBlockStart,

    /// <summary>The pointer is the start of a slot that is already free (double free).</summary>
    AlreadyFree,
}
