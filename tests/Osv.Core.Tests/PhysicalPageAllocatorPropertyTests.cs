using System;
using System.Collections.Generic;
using Osv.Core.Memory;
using Xunit;

namespace Osv.Core.Tests;

/// <summary>
/// Random allocate/free sequences checked against a shadow model of every page. The model is an
/// exact oracle: a failed allocation is correct only if no region has a long enough free stretch.
/// </summary>
public sealed unsafe class PhysicalPageAllocatorPropertyTests
{
    private const int Page = NativeArena.PageSize;
    private const int Unusable = -1;
    private const int Free = 0;

    private sealed class Allocation
    {
        public int FirstPage; // arena page index
        public int PageCount;
        public byte Pattern;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void RandomSequencesMatchTheShadowModel(int seed)
    {
        var random = new Random(seed);
        const int arenaPages = 600;
        using var arena = new NativeArena(arenaPages);

        // Shadow: per arena page, Unusable, Free, or the id of the allocation holding it.
        int[] owner = new int[arenaPages];
        int[] regionOf = new int[arenaPages];
        Array.Fill(owner, Unusable);
        Array.Fill(regionOf, -1);
        AddShuffledRegions(arena, random, owner, regionOf);

        var live = new List<Allocation>();
        int nextId = 1;
        for (int step = 0; step < 3000; step++)
        {
            int choice = random.Next(100);
            if (choice < 50 || live.Count == 0)
            {
                int count = random.Next(10) < 8 ? random.Next(1, 5) : random.Next(5, 80);
                byte* pages = (byte*)arena.Pages->AllocatePages((nuint)count);
                if (pages == null)
                {
                    Assert.False(HasFreeStretch(owner, regionOf, count), $"seed {seed} step {step}: null for {count} pages but a stretch was free");
                    continue;
                }
                int first = PageIndex(arena, pages);
                for (int p = first; p < first + count; p++)
                {
                    Assert.Equal(Free, owner[p]);
                    Assert.Equal(regionOf[first], regionOf[p]);
                    owner[p] = nextId;
                }
                var allocation = new Allocation { FirstPage = first, PageCount = count, Pattern = (byte)nextId };
                new Span<byte>(pages, count * Page).Fill(allocation.Pattern);
                live.Add(allocation);
                nextId++;
            }
            else if (choice < 90)
            {
                int index = random.Next(live.Count);
                Allocation allocation = live[index];
                // Sometimes free only the front part: partial frees are allowed.
                int freeing = random.Next(4) == 0 ? random.Next(1, allocation.PageCount + 1) : allocation.PageCount;
                VerifyPattern(arena, allocation, seed, step);
                Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(arena.Page(allocation.FirstPage), (nuint)freeing));
                for (int p = allocation.FirstPage; p < allocation.FirstPage + freeing; p++)
                    owner[p] = Free;
                allocation.FirstPage += freeing;
                allocation.PageCount -= freeing;
                if (allocation.PageCount == 0)
                    live.RemoveAt(index);
            }
            else
            {
                TryInvalidFree(arena, random, owner, live);
            }

            Assert.Equal((nuint)CountFree(owner), arena.Pages->FreePageCount);
            if (step % 16 == 0)
                Assert.True(arena.Pages->VerifyIntegrity(), $"seed {seed} step {step}");
        }

        foreach (Allocation allocation in live)
        {
            VerifyPattern(arena, allocation, seed, -1);
            Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(arena.Page(allocation.FirstPage), (nuint)allocation.PageCount));
        }
        Assert.Equal(arena.Pages->TotalPageCount, arena.Pages->FreePageCount);
        Assert.True(arena.Pages->VerifyIntegrity());
        AssertEachRegionIsOneRunAgain(arena, regionOf);
    }

    // Regions with unaligned edges, gaps between them, handed over in random order.
    private static void AddShuffledRegions(NativeArena arena, Random random, int[] owner, int[] regionOf)
    {
        var regions = new List<(int first, int count)>();
        int cursor = 1;
        while (cursor < arena.PageCount - 10)
        {
            int count = Math.Min(random.Next(3, 120), arena.PageCount - cursor);
            regions.Add((cursor, count));
            cursor += count + random.Next(0, 4); // a gap of 0 makes regions touch
        }
        for (int i = regions.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (regions[i], regions[j]) = (regions[j], regions[i]);
        }

        int regionId = 0;
        foreach (var (first, count) in regions)
        {
            // Ragged edges: start inside the previous page, end inside the next one; rounding removes them.
            nuint start = (nuint)arena.Page(first) - (nuint)random.Next(0, Page);
            nuint end = (nuint)arena.Page(first + count) + (nuint)random.Next(0, Page);
            Assert.Equal(AddRegionStatus.Added, arena.Pages->AddRegion(start, end - start));
            for (int p = first + 1; p < first + count; p++) // the first page holds the bitmap
            {
                owner[p] = Free;
                regionOf[p] = regionId;
            }
            regionId++;
        }
        Assert.Equal((nuint)CountFree(owner), arena.Pages->TotalPageCount);
        Assert.True(arena.Pages->VerifyIntegrity());
    }

    private static void TryInvalidFree(NativeArena arena, Random random, int[] owner, List<Allocation> live)
    {
        nuint freeBefore = arena.Pages->FreePageCount;
        int page = random.Next(arena.PageCount);
        int count = random.Next(1, 4);
        PageFreeStatus status;
        switch (random.Next(3))
        {
            case 0: // misaligned pointer into any page
                status = arena.Pages->FreePages(arena.Page(page) + random.Next(1, Page), 1);
                Assert.Equal(PageFreeStatus.NotPageAligned, status);
                break;
            case 1: // a range touching a free or unusable page
                bool touchesFree = false;
                bool touchesUnusable = false;
                for (int p = page; p < page + count; p++)
                {
                    if (p >= owner.Length || owner[p] == Unusable) touchesUnusable = true;
                    else if (owner[p] == Free) touchesFree = true;
                }
                if (!touchesFree && !touchesUnusable)
                    return; // all allocated: that would be a valid free
                status = arena.Pages->FreePages(arena.Page(page), (nuint)count);
                Assert.NotEqual(PageFreeStatus.Freed, status);
                if (owner[page] == Unusable)
                    Assert.Equal(PageFreeStatus.OutsideRegions, status);
                break;
            default: // a live allocation freed with one page too many, past its region or into another block
                if (live.Count == 0)
                    return;
                Allocation allocation = live[random.Next(live.Count)];
                int after = allocation.FirstPage + allocation.PageCount;
                if (after < owner.Length && owner[after] > 0)
                    return; // the next page is allocated too: that free would be valid
                status = arena.Pages->FreePages(arena.Page(allocation.FirstPage), (nuint)allocation.PageCount + 1);
                Assert.NotEqual(PageFreeStatus.Freed, status);
                break;
        }
        Assert.Equal(freeBefore, arena.Pages->FreePageCount);
    }

    private static bool HasFreeStretch(int[] owner, int[] regionOf, int count)
    {
        int run = 0;
        for (int p = 0; p < owner.Length; p++)
        {
            bool continues = owner[p] == Free && (run == 0 || regionOf[p] == regionOf[p - 1]);
            run = continues ? run + 1 : (owner[p] == Free ? 1 : 0);
            if (run >= count)
                return true;
        }
        return false;
    }

    private static void AssertEachRegionIsOneRunAgain(NativeArena arena, int[] regionOf)
    {
        var sizes = new List<int>();
        for (int p = 0; p < regionOf.Length; p++)
        {
            if (regionOf[p] >= 0 && (p == 0 || regionOf[p - 1] != regionOf[p]))
                sizes.Add(0);
            if (regionOf[p] >= 0)
                sizes[^1]++;
        }
        sizes.Sort((a, b) => b.CompareTo(a));
        foreach (int size in sizes)
            Assert.True(arena.Pages->AllocatePages((nuint)size) != null, $"a run of {size} pages should exist after freeing everything");
        Assert.Equal((nuint)0, arena.Pages->FreePageCount);
    }

    private static void VerifyPattern(NativeArena arena, Allocation allocation, int seed, int step)
    {
        var bytes = new ReadOnlySpan<byte>(arena.Page(allocation.FirstPage), allocation.PageCount * Page);
        int wrong = bytes.IndexOfAnyExcept(allocation.Pattern);
        Assert.True(wrong < 0, $"seed {seed} step {step}: allocated page overwritten at byte {wrong}");
    }

    private static int PageIndex(NativeArena arena, byte* page) => (int)((page - arena.Base) / Page);

    private static int CountFree(int[] owner)
    {
        int free = 0;
        foreach (int o in owner)
            if (o == Free)
                free++;
        return free;
    }
}
