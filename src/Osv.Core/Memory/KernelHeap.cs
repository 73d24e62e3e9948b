namespace Osv.Core.Memory;

/// <summary>
/// The kernel's malloc. Requests up to <see cref="SizeClasses.MaxSmallSize"/> bytes come from
/// one-page slabs of equal slots (see <see cref="Slab"/>); larger ones get their own page run
/// behind a <see cref="LargeBlockHeader"/>. Every block is 16-byte aligned. A slab whose last
/// slot is freed goes straight back to the page allocator, so an empty heap holds no pages.
/// <para>
/// Like the page allocator it is a plain struct without managed references (it sits in a static
/// field before the heap exists), must not be copied once used, and is not thread-safe.
/// </para>
/// </summary>
public unsafe struct KernelHeap
{
    public const nuint Alignment = 16;

    private PhysicalPageAllocator* _pages;
    private fixed ulong _partialSlabs[SizeClasses.Count]; // Slab* per class: slabs with a free slot
    private nuint _requestedBytes;
    private nuint _allocatedBytes;
    private nuint _liveAllocations;
    private nuint _pagesHeld;

    public KernelHeap(PhysicalPageAllocator* pages)
    {
        _pages = pages;
    }

    /// <summary>Sum of the sizes callers asked for, over live blocks.</summary>
    public readonly nuint RequestedBytes => _requestedBytes;

    /// <summary>Sum of the usable sizes (slot size, or run capacity) of live blocks.</summary>
    public readonly nuint AllocatedBytes => _allocatedBytes;

    public readonly nuint LiveAllocations => _liveAllocations;

    /// <summary>Pages taken from the page allocator: slab pages plus large-block runs.</summary>
    public readonly nuint PagesHeld => _pagesHeld;

    /// <summary>A 16-byte aligned block of at least <paramref name="size"/> bytes, or null. Size 0 gives a unique minimal block.</summary>
    public void* Allocate(nuint size)
    {
        if (_pages == null)
            return null; // a default-constructed heap has no memory
        return size <= SizeClasses.MaxSmallSize ? AllocateSmall(size) : AllocateLarge(size);
    }

    /// <summary>Like <see cref="Allocate"/>, with the requested bytes zeroed.</summary>
    public void* AllocateZeroed(nuint size)
    {
        void* block = Allocate(size);
        if (block != null)
            RawMemory.Zero(block, size);
        return block;
    }

    /// <summary>calloc: <paramref name="count"/> elements of <paramref name="elementSize"/> bytes, zeroed; null on overflow.</summary>
    public void* AllocateZeroed(nuint count, nuint elementSize)
    {
        if (elementSize != 0 && count > nuint.MaxValue / elementSize)
            return null;
        return AllocateZeroed(count * elementSize);
    }

    /// <summary>Frees a block. Null is a no-op; a pointer this heap did not hand out is refused and reported.</summary>
    public HeapFreeStatus Free(void* block)
    {
        if (block == null)
            return HeapFreeStatus.Freed;
        HeapFreeStatus status = Locate(block, out Slab* slab, out nuint slotIndex, out LargeBlockHeader* large);
        if (status != HeapFreeStatus.Freed)
            return status;
        if (slab != null)
            FreeSlot(slab, slotIndex);
        else
            FreeLarge(large);
        return HeapFreeStatus.Freed;
    }

    /// <summary>
    /// C realloc: null acts as <see cref="Allocate"/>; size 0 frees and returns null; otherwise the
    /// block keeps its first min(old, new) bytes, in place when it still fits its size class or
    /// page run, else moved. On failure (no memory, or a pointer the heap did not hand out) it
    /// returns null and the old block is untouched.
    /// </summary>
    public void* Reallocate(void* block, nuint size) => Reallocate(block, size, out _);

    /// <summary><see cref="Reallocate(void*, nuint)"/> that also reports why a bad pointer was refused.</summary>
    public void* Reallocate(void* block, nuint size, out HeapFreeStatus status)
    {
        status = HeapFreeStatus.Freed;
        if (block == null)
            return Allocate(size);

        status = Locate(block, out Slab* slab, out nuint slotIndex, out LargeBlockHeader* large);
        if (status != HeapFreeStatus.Freed)
            return null;

        if (size == 0)
        {
            if (slab != null)
                FreeSlot(slab, slotIndex);
            else
                FreeLarge(large);
            return null;
        }

        nuint oldSize;
        if (slab != null)
        {
            oldSize = slab->SlotSize - Slab.SlackBytes(slab)[slotIndex];
            if (size <= SizeClasses.MaxSmallSize && SizeClasses.IndexFor(size) == slab->ClassIndex)
            {
                Slab.SlackBytes(slab)[slotIndex] = (byte)(slab->SlotSize - size);
                _requestedBytes = _requestedBytes - oldSize + size;
                return block;
            }
        }
        else
        {
            oldSize = large->RequestedSize;
            if (size > SizeClasses.MaxSmallSize && TryResizeLargeInPlace(large, size))
                return block;
        }

        void* moved = Allocate(size);
        if (moved == null)
            return ShrinkInPlaceAsLastResort(block, slab, slotIndex, large, size);
        RawMemory.Copy(moved, block, oldSize < size ? oldSize : size);
        if (slab != null)
            FreeSlot(slab, slotIndex);
        else
            FreeLarge(large);
        return moved;
    }

    /// <summary>The bytes usable at <paramref name="block"/> (malloc_usable_size), or 0 for a pointer the heap did not hand out.</summary>
    public nuint UsableSize(void* block)
    {
        if (block == null || Locate(block, out Slab* slab, out _, out LargeBlockHeader* large) != HeapFreeStatus.Freed)
            return 0;
        return slab != null ? slab->SlotSize : LargeBlockHeader.CapacityOf(large->PageCount);
    }

    /// <summary>
    /// Checks every slab on the partial lists: header intact, in the right class list, not full,
    /// and its free list, bitmap and used count agree. For tests and debug builds.
    /// </summary>
    public bool VerifyIntegrity()
    {
        nuint slabsSeen = 0;
        for (int classIndex = 0; classIndex < SizeClasses.Count; classIndex++)
        {
            Slab* previous = null;
            for (Slab* slab = PartialSlabs(classIndex); slab != null; slab = slab->Next)
            {
                if (slab->Check != Slab.CheckFor(slab) || slab->ClassIndex != classIndex || slab->Previous != previous)
                    return false;
                if (++slabsSeen > _pagesHeld)
                    return false; // also stops on a cycle
                if (slab->UsedCount == 0 || slab->IsFull || !_pages->IsAllocated(slab))
                    return false;
                if (PageBitmap.CountSet(Slab.AllocationBits(slab), 0, slab->SlotCount) != slab->UsedCount)
                    return false;
                nuint freeSlots = 0;
                for (byte* slot = slab->FreeSlots; slot != null; slot = *(byte**)slot)
                {
                    nint index = Slab.SlotIndexOf(slab, slot);
                    if (Slab.OfPointer(slot) != slab || index < 0 || PageBitmap.IsSet(Slab.AllocationBits(slab), (nuint)index))
                        return false;
                    if (++freeSlots > slab->SlotCount)
                        return false;
                }
                if (freeSlots != (nuint)(slab->SlotCount - slab->UsedCount))
                    return false;
                previous = slab;
            }
        }
        return true;
    }

    private void* AllocateSmall(nuint size)
    {
        int classIndex = SizeClasses.IndexFor(size);
        Slab* slab = PartialSlabs(classIndex);
        if (slab == null)
        {
            void* page = _pages->AllocatePages(1);
            if (page == null)
                return null;
            slab = Slab.Format(page, classIndex);
            PushPartial(slab);
            _pagesHeld++;
        }

        byte* slot = slab->FreeSlots;
        slab->FreeSlots = *(byte**)slot;
        nuint index = (nuint)Slab.SlotIndexOf(slab, slot);
        PageBitmap.SetRange(Slab.AllocationBits(slab), index, 1);
        Slab.SlackBytes(slab)[index] = (byte)(slab->SlotSize - size);
        slab->UsedCount++;
        if (slab->IsFull)
            RemovePartial(slab);

        _requestedBytes += size;
        _allocatedBytes += slab->SlotSize;
        _liveAllocations++;
        return slot;
    }

    private void* AllocateLarge(nuint size)
    {
        nuint pageCount = LargeBlockHeader.PagesFor(size);
        if (pageCount == 0)
            return null;
        LargeBlockHeader* header = (LargeBlockHeader*)_pages->AllocatePages(pageCount);
        if (header == null)
            return null;
        header->Check = LargeBlockHeader.CheckFor(header);
        header->PageCount = pageCount;
        header->RequestedSize = size;
        header->Reserved = 0;

        _requestedBytes += size;
        _allocatedBytes += LargeBlockHeader.CapacityOf(pageCount);
        _pagesHeld += pageCount;
        _liveAllocations++;
        return (byte*)header + LargeBlockHeader.Size;
    }

    private void FreeSlot(Slab* slab, nuint index)
    {
        bool wasFull = slab->IsFull;
        byte* slot = Slab.SlotAt(slab, index);
        _requestedBytes -= slab->SlotSize - Slab.SlackBytes(slab)[index];
        _allocatedBytes -= slab->SlotSize;
        _liveAllocations--;

        PageBitmap.ClearRange(Slab.AllocationBits(slab), index, 1);
        *(byte**)slot = slab->FreeSlots;
        slab->FreeSlots = slot;
        slab->UsedCount--;

        if (slab->UsedCount == 0)
        {
            // A full slab is on no list; a one-slot slab goes from full to empty in one step.
            if (!wasFull)
                RemovePartial(slab);
            slab->Check = 0;
            _pages->FreePages(slab, 1);
            _pagesHeld--;
        }
        else if (wasFull)
        {
            PushPartial(slab);
        }
    }

    private void FreeLarge(LargeBlockHeader* header)
    {
        nuint pageCount = header->PageCount;
        _requestedBytes -= header->RequestedSize;
        _allocatedBytes -= LargeBlockHeader.CapacityOf(pageCount);
        _pagesHeld -= pageCount;
        _liveAllocations--;
        header->Check = 0;
        _pages->FreePages(header, pageCount);
    }

    // Out of memory: a shrinking block can still stay where it is rather than fail.
    private void* ShrinkInPlaceAsLastResort(void* block, Slab* slab, nuint slotIndex, LargeBlockHeader* large, nuint size)
    {
        if (slab == null)
            return TryResizeLargeInPlace(large, size) ? block : null;
        if (size > slab->SlotSize || slab->SlotSize - size > byte.MaxValue)
            return null; // the slack byte could not record the new size
        byte* slack = Slab.SlackBytes(slab) + slotIndex;
        _requestedBytes = _requestedBytes - (slab->SlotSize - *slack) + size;
        *slack = (byte)(slab->SlotSize - size);
        return block;
    }

    // Large blocks stay put when the new size needs no more pages; surplus tail pages are returned.
    private bool TryResizeLargeInPlace(LargeBlockHeader* header, nuint size)
    {
        nuint neededPages = LargeBlockHeader.PagesFor(size);
        if (neededPages == 0 || neededPages > header->PageCount)
            return false;

        nuint surplusPages = header->PageCount - neededPages;
        if (surplusPages != 0)
        {
            _pages->FreePages((byte*)header + neededPages * PhysicalPageAllocator.PageSize, surplusPages);
            _allocatedBytes -= surplusPages * PhysicalPageAllocator.PageSize;
            _pagesHeld -= surplusPages;
            header->PageCount = neededPages;
        }
        _requestedBytes = _requestedBytes - header->RequestedSize + size;
        header->RequestedSize = size;
        return true;
    }

    /// <summary>
    /// Finds the slab slot or large run behind <paramref name="block"/>, checking only what is
    /// cheap: alignment, that the page allocator has the page allocated, the page's magic, and
    /// for slabs the slot boundary and allocation bit.
    /// </summary>
    private readonly HeapFreeStatus Locate(void* block, out Slab* slab, out nuint slotIndex, out LargeBlockHeader* large)
    {
        slab = null;
        slotIndex = 0;
        large = null;
        if (_pages == null)
            return HeapFreeStatus.NotHeapPointer;
        if (((nuint)block & (Alignment - 1)) != 0)
            return _pages->IsAllocated(block) ? HeapFreeStatus.NotBlockStart : HeapFreeStatus.NotHeapPointer;
        if (!_pages->IsAllocated(block))
            return HeapFreeStatus.NotHeapPointer;

        Slab* page = Slab.OfPointer(block);
        LargeBlockHeader* header = (LargeBlockHeader*)((byte*)block - LargeBlockHeader.Size);
        if ((nuint)block - (nuint)page == LargeBlockHeader.Size && header->Check == LargeBlockHeader.CheckFor(header))
        {
            large = header;
            return HeapFreeStatus.Freed;
        }
        if (page->Check != Slab.CheckFor(page))
            return HeapFreeStatus.NotHeapPointer;

        nint index = Slab.SlotIndexOf(page, block);
        if (index < 0)
            return HeapFreeStatus.NotBlockStart;
        if (!PageBitmap.IsSet(Slab.AllocationBits(page), (nuint)index))
            return HeapFreeStatus.AlreadyFree;
        slab = page;
        slotIndex = (nuint)index;
        return HeapFreeStatus.Freed;
    }

    private void PushPartial(Slab* slab)
    {
        Slab* head = PartialSlabs(slab->ClassIndex);
        slab->Previous = null;
        slab->Next = head;
        if (head != null)
            head->Previous = slab;
        SetPartialSlabs(slab->ClassIndex, slab);
    }

    private void RemovePartial(Slab* slab)
    {
        if (slab->Previous != null)
            slab->Previous->Next = slab->Next;
        else
            SetPartialSlabs(slab->ClassIndex, slab->Next);
        if (slab->Next != null)
            slab->Next->Previous = slab->Previous;
        slab->Next = null;
        slab->Previous = null;
    }

    private readonly Slab* PartialSlabs(int classIndex) => (Slab*)(nuint)_partialSlabs[classIndex];

    private void SetPartialSlabs(int classIndex, Slab* slab) => _partialSlabs[classIndex] = (ulong)(nuint)slab;
}
