namespace Osv.Core.Memory
{
    /// <summary>
    /// The mapped areas of an address-space region, kept sorted and non-overlapping, with neighbours of
    /// equal protection and flags merged (like Linux's VMAs). Pure bookkeeping: the caller maps and
    /// frees pages, told by callbacks which ranges lost their mapping or changed protection. Errors are
    /// negative errno values. Not thread-safe: the owner locks. The array grows through the caller's
    /// allocator, and an operation that cannot grow it changes nothing.
    /// </summary>
    public unsafe struct VirtualMemoryAreas
    {
        public const ulong PageSize = 4096;
        private const int ENOMEM = 12;
        private const int EINVAL = 22;

        private readonly ulong _regionStart;
        private readonly ulong _regionEnd;
        private readonly delegate*<nuint, void*> _allocate;
        private readonly delegate*<void*, void> _free;
        private MemoryArea* _areas;
        private int _count;
        private int _capacity;

        public VirtualMemoryAreas(ulong regionStart, ulong regionEnd, delegate*<nuint, void*> allocate, delegate*<void*, void> free)
        {
            _regionStart = regionStart;
            _regionEnd = regionEnd;
            _allocate = allocate;
            _free = free;
            _areas = null;
            _count = 0;
            _capacity = 0;
        }

        public readonly int Count => _count;
        public readonly ulong RegionStart => _regionStart;
        public readonly ulong RegionEnd => _regionEnd;
        public readonly MemoryArea At(int index) => _areas[index];

        /// <summary>The area holding <paramref name="address"/>, if any.</summary>
        public readonly bool TryFind(ulong address, out MemoryArea area)
        {
            int index = IndexAtOrAfter(address);
            if (index < _count && _areas[index].Contains(address))
            {
                area = _areas[index];
                return true;
            }
            area = default;
            return false;
        }

        /// <summary>True when every page of [start, end) is mapped.</summary>
        public readonly bool Covers(ulong start, ulong end)
        {
            ulong next = start;
            for (int i = IndexAtOrAfter(start); i < _count && next < end; i++)
            {
                if (_areas[i].Start > next)
                    return false;
                next = _areas[i].End;
            }
            return next >= end;
        }

        /// <summary>
        /// The lowest free, page-aligned range of <paramref name="length"/> bytes at or above
        /// <paramref name="hint"/> (or the region start), or 0 when none fits.
        /// </summary>
        public readonly ulong FindFree(ulong length, ulong hint)
        {
            if (length == 0 || length > _regionEnd - _regionStart)
                return 0;
            ulong candidate = hint >= _regionStart && hint < _regionEnd ? hint : _regionStart;
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = IndexAtOrAfter(candidate); ; i++)
                {
                    ulong limit = i < _count ? _areas[i].Start : _regionEnd;
                    if (candidate <= limit && limit - candidate >= length)
                        return candidate;
                    if (i >= _count)
                        break;
                    if (_areas[i].End > candidate)
                        candidate = _areas[i].End;
                }
                candidate = _regionStart; // nothing above the hint: look from the bottom
            }
            return 0;
        }

        /// <summary>Records a new mapping; it must not overlap an existing one. 0, -EINVAL or -ENOMEM.</summary>
        public int Insert(ulong start, ulong end, int protection, int flags)
        {
            if (!IsValidRange(start, end) || OverlapsAny(start, end))
                return -EINVAL;
            if (!Reserve(_count + 1))
                return -ENOMEM;
            int index = IndexAtOrAfter(start);
            ShiftRight(index, 1);
            _areas[index] = new MemoryArea(start, end, protection, flags);
            MergeAround(index);
            return 0;
        }

        /// <summary>
        /// Unmaps [start, end) wherever it is mapped, splitting areas at the edges; reports each removed
        /// piece (with its old protection) to <paramref name="onRemoved"/>. 0, -EINVAL or -ENOMEM.
        /// </summary>
        public int Remove(ulong start, ulong end, delegate*<MemoryArea, void*, void> onRemoved, void* context)
        {
            if (!IsValidRange(start, end))
                return -EINVAL;
            if (!Reserve(_count + 1)) // removing the middle of one area splits it in two
                return -ENOMEM;
            int i = IndexAtOrAfter(start);
            while (i < _count && _areas[i].Start < end)
            {
                MemoryArea area = _areas[i];
                ulong cutStart = area.Start > start ? area.Start : start;
                ulong cutEnd = area.End < end ? area.End : end;
                if (onRemoved != null)
                    onRemoved(new MemoryArea(cutStart, cutEnd, area.Protection, area.Flags), context);
                if (cutStart > area.Start && cutEnd < area.End)
                {
                    ShiftRight(i + 1, 1);
                    _areas[i].End = cutStart;
                    _areas[i + 1] = new MemoryArea(cutEnd, area.End, area.Protection, area.Flags);
                    return 0;
                }
                if (cutStart > area.Start)
                {
                    _areas[i].End = cutStart;
                    i++;
                }
                else if (cutEnd < area.End)
                {
                    _areas[i].Start = cutEnd;
                    i++;
                }
                else
                {
                    ShiftLeft(i, 1);
                }
            }
            return 0;
        }

        /// <summary>
        /// Sets the protection of [start, end), which must be mapped throughout (else -ENOMEM, as
        /// mprotect), reporting each changed piece with its new protection. 0, -EINVAL or -ENOMEM.
        /// </summary>
        public int Protect(ulong start, ulong end, int protection, delegate*<MemoryArea, void*, void> onChanged, void* context)
        {
            if (!IsValidRange(start, end))
                return -EINVAL;
            if (!Covers(start, end))
                return -ENOMEM;
            if (!Reserve(_count + 2)) // both edges may split
                return -ENOMEM;
            int i = IndexAtOrAfter(start);
            if (_areas[i].Start < start)
            {
                Split(i, start);
                i++;
            }
            while (i < _count && _areas[i].Start < end)
            {
                if (_areas[i].End > end)
                    Split(i, end);
                _areas[i].Protection = protection;
                if (onChanged != null)
                    onChanged(_areas[i], context);
                i++;
            }
            MergeAll();
            return 0;
        }

        /// <summary>Forgets every area (no callbacks) and frees the array.</summary>
        public void Dispose()
        {
            if (_areas != null)
                _free(_areas);
            _areas = null;
            _count = 0;
            _capacity = 0;
        }

        private readonly bool IsValidRange(ulong start, ulong end) =>
            start < end && (start & (PageSize - 1)) == 0 && (end & (PageSize - 1)) == 0
            && start >= _regionStart && end <= _regionEnd;

        private readonly bool OverlapsAny(ulong start, ulong end)
        {
            int index = IndexAtOrAfter(start);
            return index < _count && _areas[index].Start < end;
        }

        /// <summary>The first area whose End is above <paramref name="address"/> (binary search).</summary>
        private readonly int IndexAtOrAfter(ulong address)
        {
            int low = 0;
            int high = _count;
            while (low < high)
            {
                int middle = (low + high) / 2;
                if (_areas[middle].End <= address)
                    low = middle + 1;
                else
                    high = middle;
            }
            return low;
        }

        private void Split(int index, ulong at)
        {
            MemoryArea area = _areas[index];
            ShiftRight(index + 1, 1);
            _areas[index].End = at;
            _areas[index + 1] = new MemoryArea(at, area.End, area.Protection, area.Flags);
        }

        private void MergeAround(int index)
        {
            if (index + 1 < _count && CanMerge(_areas[index], _areas[index + 1]))
            {
                _areas[index].End = _areas[index + 1].End;
                ShiftLeft(index + 1, 1);
            }
            if (index > 0 && index < _count && CanMerge(_areas[index - 1], _areas[index]))
            {
                _areas[index - 1].End = _areas[index].End;
                ShiftLeft(index, 1);
            }
        }

        /// <summary>One pass merging every run of adjacent, equal areas.</summary>
        private void MergeAll()
        {
            if (_count == 0)
                return;
            int kept = 0;
            for (int i = 1; i < _count; i++)
            {
                if (CanMerge(_areas[kept], _areas[i]))
                    _areas[kept].End = _areas[i].End;
                else
                    _areas[++kept] = _areas[i];
            }
            _count = kept + 1;
        }

        private static bool CanMerge(MemoryArea left, MemoryArea right) =>
            left.End == right.Start && left.Protection == right.Protection && left.Flags == right.Flags;

        private void ShiftRight(int from, int by)
        {
            for (int i = _count - 1; i >= from; i--)
                _areas[i + by] = _areas[i];
            _count += by;
        }

        private void ShiftLeft(int from, int by)
        {
            for (int i = from; i + by < _count; i++)
                _areas[i] = _areas[i + by];
            _count -= by;
        }

        private bool Reserve(int capacity)
        {
            if (capacity <= _capacity)
                return true;
            int newCapacity = _capacity == 0 ? 16 : _capacity * 2;
            while (newCapacity < capacity)
                newCapacity *= 2;
            MemoryArea* grown = (MemoryArea*)_allocate((nuint)(newCapacity * sizeof(MemoryArea)));
            if (grown == null)
                return false;
            for (int i = 0; i < _count; i++)
                grown[i] = _areas[i];
            if (_areas != null)
                _free(_areas);
            _areas = grown;
            _capacity = newCapacity;
            return true;
        }
    }
}
