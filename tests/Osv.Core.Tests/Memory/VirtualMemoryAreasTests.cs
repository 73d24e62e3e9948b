using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Osv.Core.Memory;
using Xunit;

namespace Osv.Core.Tests.Memory;

/// <summary>VirtualMemoryAreas against a page-by-page model, plus the edge cases of mmap/munmap/mprotect.</summary>
public sealed unsafe class VirtualMemoryAreasTests
{
    private const ulong Page = VirtualMemoryAreas.PageSize;
    private const ulong Start = 0x1000_0000_0000;
    private const ulong Pages = 256;

    private static int s_live;
    private static void* Allocate(nuint size) { s_live++; return NativeMemory.AllocZeroed(size); }
    private static void Free(void* block) { s_live--; NativeMemory.Free(block); }

    private static VirtualMemoryAreas NewAreas() => new(Start, Start + Pages * Page, &Allocate, &Free);

    private static ulong P(ulong page) => Start + page * Page;

    private static readonly List<MemoryArea> s_reported = new();
    private static void Record(MemoryArea area, void* context) => s_reported.Add(area);

    [Fact]
    public void AdjacentEqualMappingsMergeAndDifferentOnesDoNot()
    {
        var areas = NewAreas();
        Assert.Equal(0, areas.Insert(P(0), P(2), 3, 0));
        Assert.Equal(0, areas.Insert(P(2), P(4), 3, 0));
        Assert.Equal(0, areas.Insert(P(4), P(5), 1, 0));
        Assert.Equal(2, areas.Count);
        Assert.Equal(P(4), areas.At(0).End);
        areas.Dispose();
    }

    [Fact]
    public void OverlapsMisalignmentAndRangesOutsideTheRegionAreRefused()
    {
        var areas = NewAreas();
        Assert.Equal(0, areas.Insert(P(10), P(20), 3, 0));
        Assert.Equal(-22, areas.Insert(P(19), P(21), 3, 0));
        Assert.Equal(-22, areas.Insert(P(1) + 1, P(2), 3, 0));
        Assert.Equal(-22, areas.Insert(P(Pages), P(Pages + 1), 3, 0));
        Assert.Equal(-22, areas.Insert(P(5), P(5), 3, 0));
        Assert.Equal(1, areas.Count);
        areas.Dispose();
    }

    [Fact]
    public void UnmappingTheMiddleSplitsAndReportsOnlyWhatWasMapped()
    {
        var areas = NewAreas();
        areas.Insert(P(0), P(10), 3, 0);
        areas.Insert(P(20), P(30), 1, 0);
        s_reported.Clear();
        Assert.Equal(0, areas.Remove(P(5), P(25), &Record, null));
        Assert.Equal(new[] { new MemoryArea(P(5), P(10), 3, 0), new MemoryArea(P(20), P(25), 1, 0) }, s_reported);
        Assert.Equal(2, areas.Count);
        Assert.Equal(new MemoryArea(P(0), P(5), 3, 0), areas.At(0));
        Assert.Equal(new MemoryArea(P(25), P(30), 1, 0), areas.At(1));
        s_reported.Clear();
        Assert.Equal(0, areas.Remove(P(2), P(3), &Record, null)); // a hole inside one area
        Assert.Equal(3, areas.Count);
        Assert.Single(s_reported);
        areas.Dispose();
    }

    [Fact]
    public void ProtectNeedsTheWholeRangeMappedAndChangesNothingOtherwise()
    {
        var areas = NewAreas();
        areas.Insert(P(0), P(4), 3, 0);
        areas.Insert(P(6), P(8), 3, 0);
        Assert.Equal(-12, areas.Protect(P(2), P(7), 1, null, null));
        Assert.Equal(2, areas.Count);
        Assert.Equal(3, areas.At(0).Protection);
        s_reported.Clear();
        Assert.Equal(0, areas.Protect(P(1), P(3), 1, &Record, null));
        Assert.Equal(new[] { new MemoryArea(P(1), P(3), 1, 0) }, s_reported);
        Assert.Equal(4, areas.Count);
        Assert.Equal(0, areas.Protect(P(1), P(3), 3, null, null)); // back again: merges into one
        Assert.Equal(2, areas.Count);
        areas.Dispose();
    }

    [Fact]
    public void FindFreeReturnsTheLowestFittingGapAtOrAboveTheHint()
    {
        var areas = NewAreas();
        areas.Insert(P(0), P(4), 3, 0);
        areas.Insert(P(6), P(8), 3, 0);
        Assert.Equal(P(4), areas.FindFree(2 * Page, 0));
        Assert.Equal(P(8), areas.FindFree(3 * Page, 0));
        Assert.Equal(P(100), areas.FindFree(Page, P(100)));
        Assert.Equal(P(4), areas.FindFree(Page, P(Pages - 1) + Page)); // hint outside: from the bottom
        Assert.Equal(0UL, areas.FindFree((Pages + 1) * Page, 0));
        areas.Dispose();
    }

    [Fact]
    public void RandomOperationsAgreeWithAPageModelAndFreeEverything()
    {
        var random = new Random(12345);
        var model = new int[Pages]; // 0: unmapped, else protection + 1
        var areas = NewAreas();
        int before = s_live;
        for (int step = 0; step < 5000; step++)
        {
            ulong a = (ulong)random.Next((int)Pages);
            ulong b = a + 1 + (ulong)random.Next(Math.Min(16, (int)(Pages - a)));
            int protection = random.Next(4);
            switch (random.Next(3))
            {
                case 0:
                    bool free = true;
                    for (ulong p = a; p < b; p++)
                        free &= model[p] == 0;
                    int inserted = areas.Insert(P(a), P(b), protection, 0);
                    Assert.Equal(free ? 0 : -22, inserted);
                    if (free)
                        for (ulong p = a; p < b; p++) model[p] = protection + 1;
                    break;
                case 1:
                    Assert.Equal(0, areas.Remove(P(a), P(b), null, null));
                    for (ulong p = a; p < b; p++) model[p] = 0;
                    break;
                default:
                    bool covered = true;
                    for (ulong p = a; p < b; p++)
                        covered &= model[p] != 0;
                    Assert.Equal(covered ? 0 : -12, areas.Protect(P(a), P(b), protection, null, null));
                    if (covered)
                        for (ulong p = a; p < b; p++) model[p] = protection + 1;
                    break;
            }
            CheckAgainst(model, areas);
        }
        areas.Dispose();
        Assert.Equal(before, s_live); // the array went back to the allocator
    }

    private static void CheckAgainst(int[] model, VirtualMemoryAreas areas)
    {
        for (int i = 0; i < areas.Count; i++)
        {
            MemoryArea area = areas.At(i);
            Assert.True(area.Start < area.End);
            if (i > 0)
            {
                MemoryArea previous = areas.At(i - 1);
                Assert.True(previous.End <= area.Start, "sorted, no overlap");
                Assert.False(previous.End == area.Start && previous.Protection == area.Protection, "merged");
            }
        }
        for (ulong p = 0; p < Pages; p++)
        {
            bool mapped = areas.TryFind(P(p), out MemoryArea found);
            Assert.Equal(model[p] != 0, mapped);
            if (mapped)
                Assert.Equal(model[p] - 1, found.Protection);
        }
    }
}
