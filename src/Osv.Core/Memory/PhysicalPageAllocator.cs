namespace Osv.Core.Memory;

/// <summary>
/// Hands out physically contiguous runs of 4 KiB pages from the regions a firmware memory map
/// reports. It lives in a static field before any heap exists, so it holds no managed references:
/// <list type="bullet">
/// <item>each region starts with a bitmap (one bit per usable page, set = free) that makes invalid
/// and double frees detectable;</item>
/// <item>free runs are linked through headers written into their own first page, in bins by
/// size (bin k holds runs of 2^k .. 2^(k+1)-1 pages), and carry a footer in their last page so
/// that freeing coalesces with both neighbours in O(1).</item>
/// </list>
/// The memory of every region must be readable and writable at its own address (identity mapped
/// in the kernel). Runs never span two regions. Not thread-safe: the caller serializes access.
/// Never copy an instance: the free runs point back into it only through the bins, and a copy
/// would hand out the same pages twice.
/// </summary>
public unsafe struct PhysicalPageAllocator
{
    public const nuint PageSize = 4096;
    private const int PageShift = 12;
    private const nuint PagesPerBitmapPage = PageSize * 8;
    private const int BinCount = 64;

    private PageRegionTable _regions;
    private fixed ulong _binHeads[BinCount]; // FreeRun* per bin
    private nuint _totalPages;
    private nuint _freePages;

    /// <summary>Pages that can be allocated (region pages less their bitmaps).</summary>
    public readonly nuint TotalPageCount => _totalPages;

    /// <summary>Pages free right now.</summary>
    public readonly nuint FreePageCount => _freePages;

    /// <summary>Pages allocated right now.</summary>
    public readonly nuint UsedPageCount => _totalPages - _freePages;

    public readonly int RegionCount => _regions.Count;

    /// <summary>
    /// Makes the whole pages of [start, start + length) allocatable. Regions may come in any
    /// order and need not touch; page 0 is never used, so a null pointer always means failure.
    /// </summary>
    public AddRegionStatus AddRegion(nuint start, nuint length)
    {
        nuint end = length > nuint.MaxValue - start ? nuint.MaxValue : start + length;
        if (start < PageSize)
            start = PageSize;
        if (start > nuint.MaxValue - (PageSize - 1))
            return AddRegionStatus.TooSmall;
        start = AlignUp(start);
        end = AlignDown(end);
        if (end <= start)
            return AddRegionStatus.TooSmall;

        nuint pages = (end - start) >> PageShift;
        nuint bitmapPages = (pages + PagesPerBitmapPage - 1) / PagesPerBitmapPage;
        nuint usablePages = pages - bitmapPages;
        if (usablePages == 0)
            return AddRegionStatus.TooSmall;
        if (_regions.Overlaps(start, end))
            return AddRegionStatus.Overlaps;
        if (_regions.IsFull)
            return AddRegionStatus.TableFull;

        nuint firstUsablePage = start + (bitmapPages << PageShift);
        int region = _regions.Insert(start, firstUsablePage, usablePages);
        ulong* bitmap = _regions.Bitmap(region);
        RawMemory.Zero(bitmap, PageBitmap.BytesFor(usablePages));
        PageBitmap.SetRange(bitmap, 0, usablePages);

        LinkRun(firstUsablePage, usablePages);
        _totalPages += usablePages;
        _freePages += usablePages;
        return AddRegionStatus.Added;
    }

    /// <summary>Returns <paramref name="count"/> contiguous pages, or null if no free run is long enough.</summary>
    public void* AllocatePages(nuint count)
    {
        if (count == 0 || count > _freePages)
            return null;

        FreeRun* run = FindRun(count);
        if (run == null)
            return null;

        UnlinkRun(run);
        nuint runStart = (nuint)run;
        nuint runPages = run->PageCount;
        if (runPages > count)
            LinkRun(runStart + (count << PageShift), runPages - count);

        int region = _regions.FindUsable(runStart);
        PageBitmap.ClearRange(_regions.Bitmap(region), PageIndex(region, runStart), count);
        _freePages -= count;
        return (void*)runStart;
    }

    /// <summary>
    /// Returns pages to the allocator. Any allocated range may be freed, including part of an
    /// earlier allocation. A range that is misaligned, outside the regions or not wholly
    /// allocated is refused and reported; nothing changes then.
    /// </summary>
    public PageFreeStatus FreePages(void* pages, nuint count)
    {
        nuint start = (nuint)pages;
        if (count == 0)
            return PageFreeStatus.ZeroCount;
        if ((start & (PageSize - 1)) != 0)
            return PageFreeStatus.NotPageAligned;

        int region = _regions.FindUsable(start);
        if (region < 0 || count > (_regions.RegionEnd(region) - start) >> PageShift)
            return PageFreeStatus.OutsideRegions;

        ulong* bitmap = _regions.Bitmap(region);
        nuint index = PageIndex(region, start);
        if (!PageBitmap.IsRangeClear(bitmap, index, count))
            return PageFreeStatus.NotAllocated;

        nuint runStart = start;
        nuint runPages = count;

        nuint nextIndex = index + count;
        if (nextIndex < _regions.UsablePageCount(region) && PageBitmap.IsSet(bitmap, nextIndex))
        {
            // The page after the range is free, and its predecessor was not: it heads a run.
            FreeRun* next = (FreeRun*)(start + (count << PageShift));
            UnlinkRun(next);
            runPages += next->PageCount;
        }
        if (index > 0 && PageBitmap.IsSet(bitmap, index - 1))
        {
            FreeRun* previous = TailOfPage(start - PageSize)->Head;
            UnlinkRun(previous);
            runStart = (nuint)previous;
            runPages += previous->PageCount;
        }

        PageBitmap.SetRange(bitmap, index, count);
        LinkRun(runStart, runPages);
        _freePages += count;
        return PageFreeStatus.Freed;
    }

    /// <summary>True if <paramref name="address"/> lies in a page that is currently allocated.</summary>
    public bool IsAllocated(void* address)
    {
        nuint page = AlignDown((nuint)address);
        int region = _regions.FindUsable(page);
        return region >= 0 && !PageBitmap.IsSet(_regions.Bitmap(region), PageIndex(region, page));
    }

    /// <summary>True if <paramref name="address"/> lies in a usable page of some region, free or not.</summary>
    public bool Contains(void* address) => _regions.FindUsable((nuint)address) >= 0;

    /// <summary>
    /// Walks every bin and bitmap and checks they agree: each run is well formed, in the right
    /// bin, marked free, not adjacent to another free run (fully coalesced), and the free count
    /// matches both. For tests and debug builds; costs one pass over all metadata.
    /// </summary>
    public bool VerifyIntegrity()
    {
        nuint pagesInRuns = 0;
        for (int bin = 0; bin < BinCount; bin++)
        {
            FreeRun* previous = null;
            for (FreeRun* run = BinHead(bin); run != null; run = run->Next)
            {
                if (run->Check != FreeRun.CheckFor(run) || run->Previous != previous)
                    return false;
                if (run->PageCount == 0 || BinFor(run->PageCount) != bin)
                    return false;
                if (!IsWellFormedFreeRun(run))
                    return false;
                pagesInRuns += run->PageCount;
                if (pagesInRuns > _freePages)
                    return false; // also stops on a cycle
                previous = run;
            }
        }

        nuint pagesMarkedFree = 0;
        for (int region = 0; region < _regions.Count; region++)
            pagesMarkedFree += PageBitmap.CountSet(_regions.Bitmap(region), 0, _regions.UsablePageCount(region));

        return pagesInRuns == _freePages && pagesMarkedFree == _freePages;
    }

    private bool IsWellFormedFreeRun(FreeRun* run)
    {
        nuint start = (nuint)run;
        int region = _regions.FindUsable(start);
        if (region < 0 || run->PageCount > (_regions.RegionEnd(region) - start) >> PageShift)
            return false;

        FreeRunTail* tail = TailOfPage(start + ((run->PageCount - 1) << PageShift));
        if (tail->Check != FreeRunTail.CheckFor(tail) || tail->Head != run)
            return false;

        ulong* bitmap = _regions.Bitmap(region);
        nuint index = PageIndex(region, start);
        nuint end = index + run->PageCount;
        if (PageBitmap.CountSet(bitmap, index, run->PageCount) != run->PageCount)
            return false;
        bool freeBefore = index > 0 && PageBitmap.IsSet(bitmap, index - 1);
        bool freeAfter = end < _regions.UsablePageCount(region) && PageBitmap.IsSet(bitmap, end);
        return !freeBefore && !freeAfter;
    }

    // First fit in the bin of the request's size class, then any run of a larger bin.
    private FreeRun* FindRun(nuint count)
    {
        int bin = BinFor(count);
        for (FreeRun* run = BinHead(bin); run != null; run = run->Next)
        {
            if (run->PageCount >= count)
                return run;
        }
        for (int larger = bin + 1; larger < BinCount; larger++)
        {
            FreeRun* run = BinHead(larger);
            if (run != null)
                return run;
        }
        return null;
    }

    private void LinkRun(nuint start, nuint pageCount)
    {
        FreeRun* run = (FreeRun*)start;
        int bin = BinFor(pageCount);
        FreeRun* head = BinHead(bin);
        run->Check = FreeRun.CheckFor(run);
        run->PageCount = pageCount;
        run->Previous = null;
        run->Next = head;
        if (head != null)
            head->Previous = run;
        SetBinHead(bin, run);

        FreeRunTail* tail = TailOfPage(start + ((pageCount - 1) << PageShift));
        tail->Check = FreeRunTail.CheckFor(tail);
        tail->Head = run;
    }

    private void UnlinkRun(FreeRun* run)
    {
        if (run->Previous != null)
            run->Previous->Next = run->Next;
        else
            SetBinHead(BinFor(run->PageCount), run->Next);
        if (run->Next != null)
            run->Next->Previous = run->Previous;
        run->Check = 0;
        FreeRunTail* tail = TailOfPage((nuint)run + ((run->PageCount - 1) << PageShift));
        tail->Check = 0;
    }

    private readonly FreeRun* BinHead(int bin) => (FreeRun*)(nuint)_binHeads[bin];

    private void SetBinHead(int bin, FreeRun* run) => _binHeads[bin] = (ulong)(nuint)run;

    private readonly nuint PageIndex(int region, nuint page) => (page - _regions.FirstUsablePage(region)) >> PageShift;

    private static FreeRunTail* TailOfPage(nuint page) => (FreeRunTail*)(page + PageSize - (nuint)sizeof(FreeRunTail));

    private static int BinFor(nuint pageCount)
    {
        int log2 = 0;
        while ((pageCount >>= 1) != 0)
            log2++;
        return log2;
    }

    private static nuint AlignUp(nuint address) => (address + PageSize - 1) & ~(PageSize - 1);

    private static nuint AlignDown(nuint address) => address & ~(PageSize - 1);
}
