using System;
using System.Runtime.InteropServices;
using Osv.Core.Memory;

namespace Osv.Core.Tests;

/// <summary>
/// Page-aligned native memory standing in for physical RAM, plus a page allocator and a heap
/// that live in native memory too (the kernel keeps them in static fields, never on the GC heap).
/// </summary>
public sealed unsafe class NativeArena : IDisposable
{
    public const int PageSize = 4096;

    public NativeArena(int pageCount)
    {
        PageCount = pageCount;
        Base = (byte*)NativeMemory.AlignedAlloc((nuint)(pageCount * PageSize), PageSize);
        NativeMemory.Fill(Base, (nuint)(pageCount * PageSize), 0xCD); // garbage, as real RAM would hold
        Pages = (PhysicalPageAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(PhysicalPageAllocator));
        Heap = (KernelHeap*)NativeMemory.AllocZeroed((nuint)sizeof(KernelHeap));
        *Heap = new KernelHeap(Pages);
    }

    public byte* Base { get; }
    public int PageCount { get; }
    public PhysicalPageAllocator* Pages { get; }
    public KernelHeap* Heap { get; }

    public byte* Page(int index) => Base + (long)index * PageSize;

    /// <summary>Hands pages [first, first + count) of the arena to the allocator.</summary>
    public AddRegionStatus AddPages(int first, int count) => Pages->AddRegion((nuint)Page(first), (nuint)(count * PageSize));

    public void Dispose()
    {
        NativeMemory.AlignedFree(Base);
        NativeMemory.Free(Pages);
        NativeMemory.Free(Heap);
    }
}
