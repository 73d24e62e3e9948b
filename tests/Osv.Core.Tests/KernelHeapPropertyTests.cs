using System;
using System.Collections.Generic;
using Osv.Core.Memory;
using Xunit;

namespace Osv.Core.Tests;

/// <summary>
/// Random malloc/calloc/realloc/free sequences (seeded, so a failure names its seed and step).
/// Every live block is filled with its own byte pattern and checked before it is touched again,
/// which catches overlapping blocks and metadata written into live memory. Stats are compared
/// with a model after every step, and freeing everything must return every page.
/// </summary>
public sealed unsafe class KernelHeapPropertyTests
{
    private sealed class Block
    {
        public nint Address;
        public nuint Size;
        public byte Pattern;
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    public void RandomSequencesKeepBlocksIntactAndStatsExact(int seed)
    {
        var random = new Random(seed);
        using var arena = new NativeArena(2400);
        // Three regions with gaps, added out of order.
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(1200, 1200));
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(0, 500));
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(503, 690));
        KernelHeap* heap = arena.Heap;

        var live = new List<Block>();
        int patternSeed = 1;
        for (int step = 0; step < 4000; step++)
        {
            string where = $"seed {seed} step {step}";
            int choice = random.Next(100);
            if (choice < 40 || live.Count == 0)
            {
                nuint size = RandomSize(random);
                bool zeroed = random.Next(5) == 0;
                byte* address = (byte*)(zeroed ? heap->AllocateZeroed(size) : heap->Allocate(size));
                if (address == null)
                {
                    Assert.True(size > 4096 || arena.Pages->FreePageCount == 0, $"{where}: small allocation failed with free pages left");
                    continue;
                }
                if (zeroed)
                    Assert.True(new ReadOnlySpan<byte>(address, (int)size).IndexOfAnyExcept((byte)0) < 0, $"{where}: calloc not zeroed");
                var block = new Block { Address = (nint)address, Size = size, Pattern = (byte)patternSeed++ };
                CheckPlacement(heap, live, block, where);
                Fill(block);
                live.Add(block);
            }
            else if (choice < 70)
            {
                int index = random.Next(live.Count);
                Block block = live[index];
                Verify(block, where);
                Assert.Equal(HeapFreeStatus.Freed, heap->Free((void*)block.Address));
                live.RemoveAt(index);
                if (random.Next(4) == 0) // double free right away, before the slot can be reused
                    Assert.NotEqual(HeapFreeStatus.Freed, heap->Free((void*)block.Address));
            }
            else if (choice < 92)
            {
                int index = random.Next(live.Count);
                Block block = live[index];
                Verify(block, where);
                nuint newSize = random.Next(10) == 0 ? 0 : RandomSize(random);
                byte* moved = (byte*)heap->Reallocate((void*)block.Address, newSize);
                if (newSize == 0)
                {
                    Assert.True(moved == null);
                    live.RemoveAt(index);
                }
                else if (moved == null)
                {
                    Verify(block, where); // failed: the old block is untouched
                }
                else
                {
                    live.RemoveAt(index);
                    var resized = new Block { Address = (nint)moved, Size = newSize, Pattern = block.Pattern };
                    nuint kept = Math.Min(block.Size, newSize);
                    var prefix = new ReadOnlySpan<byte>(moved, (int)kept);
                    Assert.True(prefix.IndexOfAnyExcept(block.Pattern) < 0, $"{where}: realloc lost content");
                    CheckPlacement(heap, live, resized, where);
                    resized.Pattern = (byte)patternSeed++;
                    Fill(resized);
                    live.Add(resized);
                }
            }
            else
            {
                TryBadFree(heap, live, random, where);
            }

            CheckStats(arena, live, where);
            if (step % 50 == 0)
            {
                Assert.True(heap->VerifyIntegrity(), where);
                Assert.True(arena.Pages->VerifyIntegrity(), where);
            }
        }

        // Free what is left in random order: every page must come back.
        while (live.Count > 0)
        {
            int index = random.Next(live.Count);
            Verify(live[index], "final");
            Assert.Equal(HeapFreeStatus.Freed, heap->Free((void*)live[index].Address));
            live.RemoveAt(index);
        }
        KernelHeapTests.AssertEmpty(arena);
    }

    // Mostly small sizes, all size classes, some multi-page blocks.
    private static nuint RandomSize(Random random)
    {
        int bucket = random.Next(100);
        if (bucket < 45) return (nuint)random.Next(0, 129);
        if (bucket < 80) return (nuint)random.Next(129, 1025);
        if (bucket < 97) return (nuint)random.Next(1025, 5 * 4096);
        return (nuint)random.Next(5 * 4096, 64 * 4096);
    }

    private static void CheckPlacement(KernelHeap* heap, List<Block> live, Block block, string where)
    {
        Assert.True(block.Address % 16 == 0, $"{where}: block not 16-byte aligned");
        nuint usable = heap->UsableSize((void*)block.Address);
        Assert.True(usable >= block.Size, $"{where}: usable {usable} < requested {block.Size}");
        if (block.Size <= 1024)
            Assert.Equal(KernelHeapTests.ExpectedSlotSize(block.Size), usable);

        nint start = block.Address;
        nint end = block.Address + (nint)Math.Max(block.Size, 1);
        foreach (Block other in live)
        {
            nint otherEnd = other.Address + (nint)Math.Max(other.Size, 1);
            Assert.False(start < otherEnd && other.Address < end, $"{where}: block overlaps a live block");
        }
    }

    private static void TryBadFree(KernelHeap* heap, List<Block> live, Random random, string where)
    {
        if (live.Count == 0)
            return;
        Block block = live[random.Next(live.Count)];
        nuint offset = (nuint)random.Next(1, 64);
        if (offset >= Math.Max(block.Size, 1) && offset >= 16)
            offset = 1; // stay inside the block so the pointer is surely not another block's start
        nuint requested = heap->RequestedBytes;
        HeapFreeStatus status = heap->Free((byte*)block.Address + offset);
        Assert.True(status == HeapFreeStatus.NotBlockStart || status == HeapFreeStatus.NotHeapPointer, $"{where}: interior free gave {status}");
        Assert.Equal(requested, heap->RequestedBytes);
    }

    private static void CheckStats(NativeArena arena, List<Block> live, string where)
    {
        KernelHeap* heap = arena.Heap;
        nuint requested = 0;
        nuint allocated = 0;
        foreach (Block block in live)
        {
            requested += block.Size;
            allocated += heap->UsableSize((void*)block.Address);
        }
        Assert.True(requested == heap->RequestedBytes, $"{where}: requested bytes {heap->RequestedBytes}, expected {requested}");
        Assert.True(allocated == heap->AllocatedBytes, $"{where}: allocated bytes {heap->AllocatedBytes}, expected {allocated}");
        Assert.True((nuint)live.Count == heap->LiveAllocations, $"{where}: live count");
        Assert.True(heap->PagesHeld == arena.Pages->UsedPageCount, $"{where}: pages held {heap->PagesHeld}, page allocator says {arena.Pages->UsedPageCount}");
    }

    private static void Fill(Block block) => new Span<byte>((void*)block.Address, (int)block.Size).Fill(block.Pattern);

    private static void Verify(Block block, string where)
    {
        int wrong = new ReadOnlySpan<byte>((void*)block.Address, (int)block.Size).IndexOfAnyExcept(block.Pattern);
        Assert.True(wrong < 0, $"{where}: block of {block.Size} bytes overwritten at byte {wrong}");
    }
}
