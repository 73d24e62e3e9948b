using System;
using Osv.Core.Memory;
using Xunit;

namespace Osv.Core.Tests;

public sealed unsafe class KernelHeapTests
{
    private const int Page = NativeArena.PageSize;

    private static NativeArena NewArena(int pages = 257)
    {
        var arena = new NativeArena(pages);
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(0, pages));
        return arena;
    }

    /// <summary>The slot sizes the heap promises, computed independently of its own table.</summary>
    public static nuint ExpectedSlotSize(nuint size)
    {
        if (size <= 256) return size == 0 ? 16 : (size + 15) / 16 * 16;
        if (size <= 512) return (size + 63) / 64 * 64;
        return (size + 127) / 128 * 128;
    }

    [Fact]
    public void SmallBlocksGetTheirSizeClass()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        nuint[] sizes = { 0, 1, 15, 16, 17, 100, 256, 257, 320, 321, 512, 513, 640, 1000, 1024 };
        foreach (nuint size in sizes)
        {
            void* block = heap->Allocate(size);
            Assert.True(block != null);
            Assert.Equal(0, (int)((nuint)block % 16));
            Assert.Equal(ExpectedSlotSize(size), heap->UsableSize(block));
        }
        Assert.Equal((nuint)sizes.Length, heap->LiveAllocations);
        Assert.True(heap->VerifyIntegrity());
    }

    [Fact]
    public void StatsTrackRequestedAndSlotBytes()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        void* a = heap->Allocate(10);
        void* b = heap->Allocate(300);
        void* c = heap->Allocate(5000);
        Assert.Equal((nuint)(10 + 300 + 5000), heap->RequestedBytes);
        Assert.Equal((nuint)(16 + 320 + 2 * Page - 32), heap->AllocatedBytes);
        Assert.Equal((nuint)3, heap->LiveAllocations);
        Assert.Equal((nuint)(1 + 1 + 2), heap->PagesHeld);
        Assert.Equal(heap->PagesHeld, arena.Pages->UsedPageCount);

        Assert.Equal(HeapFreeStatus.Freed, heap->Free(b));
        Assert.Equal((nuint)(10 + 5000), heap->RequestedBytes);
        Assert.Equal((nuint)3, heap->PagesHeld); // the 320-byte slab was empty and went back
        heap->Free(a);
        heap->Free(c);
        AssertEmpty(arena);
    }

    [Fact]
    public void DefaultHeapWithoutPagesFailsSafely()
    {
        KernelHeap heap = default;
        long local = 0;
        Assert.True(heap.Allocate(16) == null);
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap.Free(&local));
        Assert.Equal((nuint)0, heap.UsableSize(&local));
    }

    [Fact]
    public void FreeOfNullIsANoOp()
    {
        using var arena = NewArena();
        Assert.Equal(HeapFreeStatus.Freed, arena.Heap->Free(null));
        AssertEmpty(arena);
    }

    [Fact]
    public void EmptySlabsGoBackToThePageAllocator()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        var blocks = new nint[1000];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = (nint)heap->Allocate(16);
        Assert.True(heap->PagesHeld > 1);
        for (int i = 0; i < blocks.Length; i++)
            Assert.Equal(HeapFreeStatus.Freed, heap->Free((void*)blocks[i]));
        AssertEmpty(arena);
    }

    [Fact]
    public void DoubleFreeOfASlotIsDetected()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        void* keepSlabAlive = heap->Allocate(32);
        void* block = heap->Allocate(32);
        Assert.Equal(HeapFreeStatus.Freed, heap->Free(block));
        nuint requested = heap->RequestedBytes;
        Assert.Equal(HeapFreeStatus.AlreadyFree, heap->Free(block));
        Assert.Equal(requested, heap->RequestedBytes);
        Assert.True(heap->VerifyIntegrity());

        // Once the slab itself is gone, its page is free and the pointer is simply not the heap's.
        Assert.Equal(HeapFreeStatus.Freed, heap->Free(keepSlabAlive));
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(keepSlabAlive));
        AssertEmpty(arena);
    }

    [Fact]
    public void DoubleFreeOfALargeBlockIsDetected()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        void* block = heap->Allocate(10000);
        Assert.Equal(HeapFreeStatus.Freed, heap->Free(block));
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(block));
        AssertEmpty(arena);
    }

    [Fact]
    public void ForeignAndInteriorPointersAreRefused()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        byte* small = (byte*)heap->Allocate(48);
        byte* large = (byte*)heap->Allocate(3 * Page);
        void* rawPages = arena.Pages->AllocatePages(2); // allocated, but not by the heap
        new Span<byte>(rawPages, 2 * Page).Clear();
        long onTheStack = 0;
        nuint requested = heap->RequestedBytes;
        nuint live = heap->LiveAllocations;

        Assert.Equal(HeapFreeStatus.NotBlockStart, heap->Free(small + 16));
        Assert.Equal(HeapFreeStatus.NotBlockStart, heap->Free(small + 1));
        Assert.Equal(HeapFreeStatus.NotBlockStart, heap->Free(Slab(small))); // the slab header
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(large + Page)); // inside the run
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(large - 32)); // the header itself
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free((byte*)rawPages + 32));
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(rawPages));
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(&onTheStack));
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(arena.Page(0))); // bitmap page
        Assert.Equal(HeapFreeStatus.NotHeapPointer, heap->Free(arena.Page(200))); // a free page

        Assert.Equal(requested, heap->RequestedBytes);
        Assert.Equal(live, heap->LiveAllocations);
        Assert.True(heap->VerifyIntegrity());
        Assert.True(arena.Pages->VerifyIntegrity());
        Assert.Equal((nuint)0, heap->UsableSize(small + 16));
        Assert.True(heap->Reallocate(small + 16, 10, out HeapFreeStatus status) == null);
        Assert.Equal(HeapFreeStatus.NotBlockStart, status);

        heap->Free(small);
        heap->Free(large);
        arena.Pages->FreePages(rawPages, 2);
        AssertEmpty(arena);
    }

    [Fact]
    public void LargeBlocksAreAlignedAndSized()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        foreach (nuint size in new nuint[] { 1025, Page - 32, Page - 31, 3 * Page, 100000 })
        {
            void* block = heap->Allocate(size);
            Assert.True(block != null);
            Assert.Equal(0, (int)((nuint)block % 16));
            nuint pages = (size + 32 + Page - 1) / Page;
            Assert.Equal(pages * Page - 32, heap->UsableSize(block));
            heap->Free(block);
        }
        AssertEmpty(arena);
    }

    [Fact]
    public void ImpossibleSizesReturnNull()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        Assert.True(heap->Allocate(nuint.MaxValue) == null);
        Assert.True(heap->Allocate(nuint.MaxValue - 4096) == null);
        Assert.True(heap->Allocate(1 << 30) == null);
        Assert.True(heap->AllocateZeroed(nuint.MaxValue / 2, 3) == null);
        AssertEmpty(arena);
    }

    [Fact]
    public void ExhaustionReturnsNullAndLeaksNothing()
    {
        using var arena = NewArena(65);
        KernelHeap* heap = arena.Heap;
        var blocks = new System.Collections.Generic.List<nint>();
        var random = new Random(7);
        while (true)
        {
            nuint size = (nuint)(random.Next(3) == 0 ? random.Next(1025, 9000) : random.Next(0, 1025));
            void* block = heap->Allocate(size);
            if (block == null)
                break;
            blocks.Add((nint)block);
        }
        Assert.True(heap->PagesHeld > 55);
        foreach (nint block in blocks)
            Assert.Equal(HeapFreeStatus.Freed, heap->Free((void*)block));
        AssertEmpty(arena);
    }

    [Fact]
    public void AllocateZeroedClearsGarbage()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;
        byte* dirty = (byte*)heap->Allocate(200);
        new Span<byte>(dirty, 200).Fill(0xEE);
        heap->Free(dirty);
        byte* clean = (byte*)heap->AllocateZeroed(25, 8);
        Assert.True(clean == dirty); // the same slot came back
        Assert.True(new Span<byte>(clean, 200).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal((nuint)200, heap->RequestedBytes);
        byte* large = (byte*)heap->AllocateZeroed(20000);
        Assert.True(new Span<byte>(large, 20000).IndexOfAnyExcept((byte)0) < 0);
        heap->Free(clean);
        heap->Free(large);
        AssertEmpty(arena);
    }

    [Fact]
    public void ReallocateFollowsCSemantics()
    {
        using var arena = NewArena();
        KernelHeap* heap = arena.Heap;

        byte* block = (byte*)heap->Reallocate(null, 20); // realloc(NULL, n) == malloc(n)
        Assert.True(block != null);
        Assert.Equal((nuint)20, heap->RequestedBytes);
        for (int i = 0; i < 20; i++) block[i] = (byte)i;

        Assert.True(heap->Reallocate(block, 30) == block); // same 32-byte class: in place
        Assert.Equal((nuint)30, heap->RequestedBytes);

        byte* grown = (byte*)heap->Reallocate(block, 2000); // moves to a large block
        Assert.True(grown != block);
        for (int i = 0; i < 20; i++) Assert.Equal((byte)i, grown[i]);
        Assert.Equal((nuint)2000, heap->RequestedBytes);
        Assert.Equal((nuint)1, heap->LiveAllocations);

        byte* huge = (byte*)heap->Reallocate(grown, 5 * Page);
        for (int i = 0; i < 20; i++) Assert.Equal((byte)i, huge[i]);
        nuint pagesBefore = heap->PagesHeld;
        Assert.True(heap->Reallocate(huge, 2 * Page) == huge); // shrinks in place, returns the tail
        Assert.Equal(pagesBefore - 3, heap->PagesHeld);
        Assert.Equal(heap->PagesHeld, arena.Pages->UsedPageCount);

        byte* small = (byte*)heap->Reallocate(huge, 8); // back to a slab
        for (int i = 0; i < 8; i++) Assert.Equal((byte)i, small[i]);
        Assert.Equal((nuint)8, heap->RequestedBytes);

        Assert.True(heap->Reallocate(small, 0) == null); // realloc(p, 0) frees
        AssertEmpty(arena);
    }

    [Fact]
    public void FailedReallocateKeepsTheOldBlock()
    {
        using var arena = NewArena(9); // 8 usable pages
        KernelHeap* heap = arena.Heap;
        byte* block = (byte*)heap->Allocate(3 * Page);
        block[0] = 42;
        Assert.True(heap->Reallocate(block, 100 * Page) == null);
        Assert.Equal(42, block[0]);
        Assert.Equal((nuint)(3 * Page), heap->RequestedBytes);
        Assert.Equal(HeapFreeStatus.Freed, heap->Free(block));
        AssertEmpty(arena);
    }

    [Fact]
    public void ShrinkingWithoutMemoryStaysInPlace()
    {
        using var arena = NewArena(3); // 2 usable pages
        KernelHeap* heap = arena.Heap;
        byte* large = (byte*)heap->Allocate(2 * Page - 32); // takes both pages
        Assert.True(arena.Pages->FreePageCount == 0);
        byte* shrunk = (byte*)heap->Reallocate(large, 100); // no page for a slab: stays, frees the tail
        Assert.True(shrunk == large);
        Assert.Equal((nuint)100, heap->RequestedBytes);
        Assert.Equal((nuint)1, heap->PagesHeld);

        byte* small = (byte*)heap->Allocate(1000); // fills the now free page with a 1024-class slab
        Assert.True(small != null);
        Assert.True(heap->Reallocate(small, 900) == small); // class 896 needs a new slab: none, stays
        Assert.Equal((nuint)1024, heap->UsableSize(small));
        Assert.Equal((nuint)(100 + 900), heap->RequestedBytes);
        heap->Free(large);
        heap->Free(small);
        AssertEmpty(arena);
    }

    private static void* Slab(byte* pointer) => (void*)((nuint)pointer & ~(nuint)(Page - 1));

    internal static void AssertEmpty(NativeArena arena)
    {
        Assert.Equal((nuint)0, arena.Heap->LiveAllocations);
        Assert.Equal((nuint)0, arena.Heap->RequestedBytes);
        Assert.Equal((nuint)0, arena.Heap->AllocatedBytes);
        Assert.Equal((nuint)0, arena.Heap->PagesHeld);
        Assert.Equal(arena.Pages->TotalPageCount, arena.Pages->FreePageCount);
        Assert.True(arena.Heap->VerifyIntegrity());
        Assert.True(arena.Pages->VerifyIntegrity());
    }
}
