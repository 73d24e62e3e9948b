using Osv.Core.Memory;
using Xunit;

namespace Osv.Core.Tests;

public sealed unsafe class PhysicalPageAllocatorTests
{
    private const int Page = NativeArena.PageSize;

    [Fact]
    public void EmptyAllocatorHasNothingToGive()
    {
        using var arena = new NativeArena(1);
        Assert.Equal((nuint)0, arena.Pages->TotalPageCount);
        Assert.True(arena.Pages->AllocatePages(1) == null);
        Assert.Equal(PageFreeStatus.OutsideRegions, arena.Pages->FreePages(arena.Base, 1));
    }

    [Fact]
    public void RegionLosesOnePageToItsBitmap()
    {
        using var arena = new NativeArena(16);
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(0, 16));
        Assert.Equal((nuint)15, arena.Pages->TotalPageCount);
        Assert.Equal((nuint)15, arena.Pages->FreePageCount);
        Assert.Equal((nuint)0, arena.Pages->UsedPageCount);
        Assert.True(arena.Pages->VerifyIntegrity());
        Assert.False(arena.Pages->Contains(arena.Page(0)));  // the bitmap page
        Assert.True(arena.Pages->Contains(arena.Page(1)));
        Assert.False(arena.Pages->IsAllocated(arena.Page(1)));
    }

    [Fact]
    public void RegionIsRoundedInwardToWholePages()
    {
        using var arena = new NativeArena(8);
        // Starts 1 byte into page 0 and ends 1 byte into page 7: pages 1..6 are whole.
        Assert.Equal(AddRegionStatus.Added, arena.Pages->AddRegion((nuint)arena.Base + 1, (nuint)(7 * Page)));
        Assert.Equal((nuint)5, arena.Pages->TotalPageCount); // page 1 holds the bitmap
        Assert.False(arena.Pages->Contains(arena.Page(1)));
        Assert.True(arena.Pages->Contains(arena.Page(2)));
        Assert.True(arena.Pages->Contains(arena.Page(6)));
        Assert.False(arena.Pages->Contains(arena.Page(7)));
    }

    [Fact]
    public void TinyOverlappingAndPageZeroRegionsAreRefused()
    {
        using var arena = new NativeArena(8);
        Assert.Equal(AddRegionStatus.TooSmall, arena.AddPages(0, 1));
        Assert.Equal(AddRegionStatus.TooSmall, arena.Pages->AddRegion((nuint)arena.Base + 1, (nuint)(2 * Page - 2)));
        Assert.Equal(AddRegionStatus.TooSmall, arena.Pages->AddRegion(0, Page)); // page 0 is never used
        Assert.Equal(AddRegionStatus.TooSmall, arena.Pages->AddRegion(nuint.MaxValue - 100, 50));
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(2, 4));
        Assert.Equal(AddRegionStatus.Overlaps, arena.AddPages(5, 3));
        Assert.Equal(AddRegionStatus.Overlaps, arena.AddPages(0, 3));
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(6, 2));
        Assert.Equal(2, arena.Pages->RegionCount);
        Assert.Equal((nuint)4, arena.Pages->TotalPageCount);
    }

    [Fact]
    public void LengthPastTheEndOfTheAddressSpaceIsClamped()
    {
        using var arena = new NativeArena(4);
        // A huge length must not wrap around; the region would end at the top of the address
        // space, which this test cannot back, so only check the arithmetic via the overlap check.
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(0, 4));
        Assert.Equal(AddRegionStatus.Overlaps, arena.Pages->AddRegion((nuint)arena.Page(2), nuint.MaxValue));
    }

    [Fact]
    public void RegionTableFillsUp()
    {
        int regions = 129;
        using var arena = new NativeArena(regions * 3);
        for (int i = 0; i < 128; i++)
            Assert.Equal(AddRegionStatus.Added, arena.AddPages(i * 3, 2));
        Assert.Equal(AddRegionStatus.TableFull, arena.AddPages(128 * 3, 2));
        Assert.Equal((nuint)128, arena.Pages->TotalPageCount);
        Assert.True(arena.Pages->VerifyIntegrity());
    }

    [Fact]
    public void AllocatesContiguousPagesUntilExhausted()
    {
        using var arena = new NativeArena(11);
        arena.AddPages(0, 11); // 10 usable pages: 1..10
        byte* first = (byte*)arena.Pages->AllocatePages(3);
        byte* second = (byte*)arena.Pages->AllocatePages(7);
        Assert.True(first != null && second != null);
        Assert.True(first + 3 * Page <= second || second + 7 * Page <= first);
        Assert.Equal((nuint)0, arena.Pages->FreePageCount);
        Assert.True(arena.Pages->AllocatePages(1) == null);
        Assert.True(arena.Pages->AllocatePages(0) == null);
        Assert.True(arena.Pages->IsAllocated(first + 5));
        Assert.True(arena.Pages->VerifyIntegrity());
    }

    [Fact]
    public void FragmentedMemoryCannotServeALargeRunUntilItCoalesces()
    {
        using var arena = new NativeArena(9);
        arena.AddPages(0, 9); // 8 usable pages
        byte*[] pages = new byte*[8];
        for (int i = 0; i < 8; i++)
            pages[i] = (byte*)arena.Pages->AllocatePages(1);

        // Free every other page: 4 free pages, but no two adjacent.
        for (int i = 0; i < 8; i += 2)
            Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(pages[i], 1));
        Assert.Equal((nuint)4, arena.Pages->FreePageCount);
        Assert.True(arena.Pages->AllocatePages(2) == null);
        Assert.True(arena.Pages->VerifyIntegrity());

        // Freeing the gaps merges everything back into one run, left and right neighbours alike.
        for (int i = 1; i < 8; i += 2)
            Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(pages[i], 1));
        Assert.True(arena.Pages->VerifyIntegrity());
        Assert.True(arena.Pages->AllocatePages(8) == pages[0]);
    }

    [Fact]
    public void RunsNeverSpanTwoRegions()
    {
        using var arena = new NativeArena(8);
        arena.AddPages(4, 4); // usable 5..7
        arena.AddPages(0, 4); // usable 1..3, touching the other region
        Assert.True(arena.Pages->AllocatePages(4) == null);
        Assert.True(arena.Pages->AllocatePages(3) != null);
        Assert.True(arena.Pages->AllocatePages(3) != null);
        Assert.Equal((nuint)0, arena.Pages->FreePageCount);
    }

    [Fact]
    public void PartOfAnAllocationMayBeFreed()
    {
        using var arena = new NativeArena(9);
        arena.AddPages(0, 9);
        byte* run = (byte*)arena.Pages->AllocatePages(8);
        Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(run + 2 * Page, 3));
        Assert.Equal((nuint)3, arena.Pages->FreePageCount);
        Assert.True(arena.Pages->VerifyIntegrity());
        Assert.True(arena.Pages->AllocatePages(3) == run + 2 * Page);
    }

    [Fact]
    public void InvalidFreesAreReportedAndChangeNothing()
    {
        using var arena = new NativeArena(10);
        arena.AddPages(0, 10);
        byte* run = (byte*)arena.Pages->AllocatePages(4);
        nuint free = arena.Pages->FreePageCount;

        Assert.Equal(PageFreeStatus.ZeroCount, arena.Pages->FreePages(run, 0));
        Assert.Equal(PageFreeStatus.NotPageAligned, arena.Pages->FreePages(run + 8, 1));
        Assert.Equal(PageFreeStatus.OutsideRegions, arena.Pages->FreePages(arena.Page(0), 1)); // the bitmap
        Assert.Equal(PageFreeStatus.OutsideRegions, arena.Pages->FreePages(arena.Page(10), 1));
        Assert.Equal(PageFreeStatus.OutsideRegions, arena.Pages->FreePages(run, 100));
        Assert.Equal(PageFreeStatus.OutsideRegions, arena.Pages->FreePages(run, nuint.MaxValue));
        Assert.Equal(PageFreeStatus.NotAllocated, arena.Pages->FreePages(run + 4 * Page, 1)); // never allocated
        Assert.Equal(PageFreeStatus.NotAllocated, arena.Pages->FreePages(run + 3 * Page, 2)); // straddles free
        Assert.Equal(free, arena.Pages->FreePageCount);
        Assert.True(arena.Pages->VerifyIntegrity());

        Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(run, 4));
        Assert.Equal(PageFreeStatus.NotAllocated, arena.Pages->FreePages(run, 4)); // double free
        Assert.Equal(PageFreeStatus.NotAllocated, arena.Pages->FreePages(run + Page, 1));
        Assert.Equal(arena.Pages->TotalPageCount, arena.Pages->FreePageCount);
        Assert.True(arena.Pages->VerifyIntegrity());
    }

    [Fact]
    public void LargeRegionNeedsSeveralBitmapPages()
    {
        // 32768 pages fit one bitmap page; one more page needs a second.
        int pages = 32768 + 2;
        using var arena = new NativeArena(pages);
        Assert.Equal(AddRegionStatus.Added, arena.AddPages(0, pages));
        Assert.Equal((nuint)(pages - 2), arena.Pages->TotalPageCount);
        byte* all = (byte*)arena.Pages->AllocatePages((nuint)(pages - 2));
        Assert.True(all == arena.Page(2));
        Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(all + 100 * Page, 20000));
        Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(all, 100));
        Assert.Equal(PageFreeStatus.Freed, arena.Pages->FreePages(all + 20100 * Page, (nuint)(pages - 2 - 20100)));
        Assert.True(arena.Pages->VerifyIntegrity());
        Assert.True(arena.Pages->AllocatePages((nuint)(pages - 2)) == all);
    }
}
