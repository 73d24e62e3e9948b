namespace Osv.Core.Time;

/// <summary>
/// A queue of one-shot and periodic timers ordered by deadline: a binary min-heap of
/// <see cref="TimerEntry"/> pointers in which every entry remembers its own slot, so arming,
/// moving and cancelling are O(log n) and the earliest deadline is O(1). Times are nanoseconds on
/// any monotonic clock the caller picks; the queue never reads a clock itself.
/// <para>
/// Entries are caller-owned (intrusive); the only memory the queue owns is the heap array, which
/// comes from the caller-supplied allocator, starts at <see cref="InitialCapacity"/> slots on the
/// first arm and doubles when full. <see cref="Arm"/> is the only operation that may allocate, and
/// only when it adds an unarmed entry to a full array; <see cref="Expire"/> and
/// <see cref="Cancel"/> never allocate. Errors are values: a failed growth makes <see cref="Arm"/>
/// return false with the queue unchanged.
/// </para>
/// <para>
/// Order: timers expire by deadline, equal deadlines in arming order (every successful
/// <see cref="Arm"/>, and every automatic re-arm of a periodic timer, counts as a new arming).
/// </para>
/// <para>
/// NOT thread-safe and not reentrant from other contexts: the owner (in the kernel, one queue per
/// CPU, used with interrupts disabled) serializes every call. Callbacks run inside
/// <see cref="Expire"/> and may call <see cref="Arm"/> and <see cref="Cancel"/> on this queue for
/// any timer, including the one that is running. Like the kernel's other allocators it is a plain
/// struct without managed references that must not be copied once used.
/// </para>
/// </summary>
public unsafe struct TimerQueue
{
    /// <summary>Heap slots allocated by the first arm.</summary>
    public const int InitialCapacity = 16;

    /// <summary>The largest heap the queue grows to (a power of two, so doubling lands on it).</summary>
    public const int MaxCapacity = 1 << 30;

    private TimerEntry** _heap;
    private int _count;
    private int _capacity;
    private ulong _nextSequence;
    private delegate*<nuint, void*> _allocate;
    private delegate*<void*, void> _free;

    /// <param name="allocate">Returns a block of at least the given size in bytes, pointer-aligned, or null.</param>
    /// <param name="free">Frees a block <paramref name="allocate"/> returned.</param>
    public TimerQueue(delegate*<nuint, void*> allocate, delegate*<void*, void> free)
    {
        _allocate = allocate;
        _free = free;
    }

    /// <summary>Armed timers.</summary>
    public readonly int Count => _count;

    /// <summary>Slots in the heap array (armed timers that fit without growing).</summary>
    public readonly int Capacity => _capacity;

    /// <summary>The earliest deadline of an armed timer, or <see cref="ulong.MaxValue"/> when none is armed.</summary>
    public readonly ulong NextDeadline => _count == 0 ? ulong.MaxValue : _heap[0]->_deadline;

    /// <summary>True if <paramref name="timer"/> is armed in this queue (not another one).</summary>
    public readonly bool Contains(TimerEntry* timer)
    {
        if (timer == null)
            return false;
        int slot = timer->_heapSlot - 1;
        return slot >= 0 && slot < _count && _heap[slot] == timer;
    }

    /// <summary>
    /// Grows the heap array to hold at least <paramref name="capacity"/> timers, so that arming up
    /// to that many never allocates. False if the allocation fails (the queue is unchanged) or the
    /// capacity exceeds <see cref="MaxCapacity"/>.
    /// </summary>
    public bool Reserve(int capacity)
    {
        if (capacity <= _capacity)
            return true;
        if (capacity > MaxCapacity)
            return false;
        int newCapacity = _capacity == 0 ? InitialCapacity : _capacity;
        while (newCapacity < capacity)
            newCapacity *= 2;
        return Resize(newCapacity);
    }

    /// <summary>
    /// Arms <paramref name="timer"/> to expire at <paramref name="deadline"/> (ns), then every
    /// <paramref name="period"/> ns if that is not 0. Arming an armed timer moves it (new deadline,
    /// period and place in the arming order) and never allocates. A deadline at or before the
    /// current time is allowed: the timer fires at the next <see cref="Expire"/>.
    /// <para>
    /// Returns false, changing nothing, if the timer is null, has no callback, is armed in another
    /// queue, or the heap array had to grow and could not.
    /// </para>
    /// </summary>
    public bool Arm(TimerEntry* timer, ulong deadline, ulong period)
    {
        if (timer == null || timer->_callback == null)
            return false;

        if (timer->_heapSlot != 0)
        {
            int slot = timer->_heapSlot - 1;
            if (slot < 0 || slot >= _count || _heap[slot] != timer)
                return false; // armed in another queue
            timer->_deadline = deadline;
            timer->_period = period;
            timer->_sequence = _nextSequence++;
            Restore(slot);
            return true;
        }

        if (_count == _capacity && !Grow())
            return false;
        timer->_deadline = deadline;
        timer->_period = period;
        timer->_sequence = _nextSequence++;
        int last = _count++;
        Place(timer, last);
        SiftUp(last);
        return true;
    }

    /// <summary>Disarms <paramref name="timer"/>. False if it was not armed in this queue.</summary>
    public bool Cancel(TimerEntry* timer)
    {
        if (!Contains(timer))
            return false;
        RemoveAt(timer->_heapSlot - 1);
        return true;
    }

    /// <summary>
    /// Runs the callbacks of due timers (deadline &lt;= <paramref name="now"/>), earliest first,
    /// ties in arming order, and returns how many ran — at most <paramref name="maxCallbacks"/>;
    /// timers left due by that limit stay armed (<see cref="NextDeadline"/> &lt;= now tells).
    /// <para>
    /// Before its callback runs, a one-shot timer is disarmed and a periodic timer is re-armed at
    /// the first deadline + k * period that is after <paramref name="now"/>: a late call runs each
    /// periodic callback once, not once per missed period. A periodic timer whose next deadline
    /// would not fit in a ulong is disarmed instead. So inside its callback a timer may re-arm or
    /// cancel itself, and the entry's Deadline/Period show its next expiry.
    /// </para>
    /// <para>
    /// Timers armed by a callback take part in the same call: one armed with a deadline &lt;=
    /// <paramref name="now"/> runs in this call (in deadline order among the timers still due,
    /// budget permitting); a later one does not. A callback that keeps re-arming itself as due is
    /// bounded only by <paramref name="maxCallbacks"/>.
    /// </para>
    /// </summary>
    public int Expire(ulong now, int maxCallbacks)
    {
        int ran = 0;
        while (ran < maxCallbacks && _count != 0)
        {
            TimerEntry* timer = _heap[0];
            ulong deadline = timer->_deadline;
            if (deadline > now)
                break;

            ulong period = timer->_period;
            if (period == 0 || !NextPeriodicDeadline(deadline, period, now, out ulong next))
            {
                RemoveAt(0);
            }
            else
            {
                timer->_deadline = next;
                timer->_sequence = _nextSequence++;
                SiftDown(0);
            }

            ran++;
            timer->_callback(timer);
        }
        return ran;
    }

    /// <summary>
    /// Disarms every timer and frees the heap array. The queue is then empty and still usable
    /// (the next arm allocates again).
    /// </summary>
    public void Dispose()
    {
        for (int i = 0; i < _count; i++)
            _heap[i]->_heapSlot = 0;
        _count = 0;
        if (_heap != null)
            _free(_heap);
        _heap = null;
        _capacity = 0;
    }

    /// <summary>deadline + k * period for the least k making it > now (now >= deadline); false on overflow.</summary>
    private static bool NextPeriodicDeadline(ulong deadline, ulong period, ulong now, out ulong next)
    {
        ulong periods = (now - deadline) / period + 1;
        next = 0;
        if (periods > ulong.MaxValue / period)
            return false;
        ulong step = periods * period;
        if (step > ulong.MaxValue - deadline)
            return false;
        next = deadline + step;
        return true;
    }

    private bool Grow()
    {
        if (_capacity >= MaxCapacity)
            return false;
        return Resize(_capacity == 0 ? InitialCapacity : _capacity * 2);
    }

    private bool Resize(int newCapacity)
    {
        if (_allocate == null)
            return false;
        TimerEntry** fresh = (TimerEntry**)_allocate((nuint)newCapacity * (nuint)sizeof(TimerEntry*));
        if (fresh == null)
            return false;
        for (int i = 0; i < _count; i++)
            fresh[i] = _heap[i];
        if (_heap != null)
            _free(_heap);
        _heap = fresh;
        _capacity = newCapacity;
        return true;
    }

    private void RemoveAt(int slot)
    {
        TimerEntry* removed = _heap[slot];
        int last = --_count;
        if (slot != last)
        {
            Place(_heap[last], slot);
            Restore(slot);
        }
        _heap[last] = null;
        removed->_heapSlot = 0;
    }

    /// <summary>Moves the entry at <paramref name="slot"/>, whose key changed, up or down to its place.</summary>
    private void Restore(int slot)
    {
        if (slot > 0 && Earlier(_heap[slot], _heap[(slot - 1) / 2]))
            SiftUp(slot);
        else
            SiftDown(slot);
    }

    private void SiftUp(int slot)
    {
        TimerEntry* moving = _heap[slot];
        while (slot > 0)
        {
            int parent = (slot - 1) / 2;
            if (!Earlier(moving, _heap[parent]))
                break;
            Place(_heap[parent], slot);
            slot = parent;
        }
        Place(moving, slot);
    }

    private void SiftDown(int slot)
    {
        TimerEntry* moving = _heap[slot];
        while (true)
        {
            int child = 2 * slot + 1;
            if (child >= _count)
                break;
            if (child + 1 < _count && Earlier(_heap[child + 1], _heap[child]))
                child++;
            if (!Earlier(_heap[child], moving))
                break;
            Place(_heap[child], slot);
            slot = child;
        }
        Place(moving, slot);
    }

    private readonly void Place(TimerEntry* timer, int slot)
    {
        _heap[slot] = timer;
        timer->_heapSlot = slot + 1;
    }

    private static bool Earlier(TimerEntry* a, TimerEntry* b) =>
        a->_deadline < b->_deadline || (a->_deadline == b->_deadline && a->_sequence < b->_sequence);
}
