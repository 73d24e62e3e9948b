namespace Osv.Core.Time;

/// <summary>
/// Caller-owned storage for one timer of a <see cref="TimerQueue"/> (the queue is intrusive: it
/// stores pointers to entries and never allocates per timer). An entry holds its callback, an
/// opaque state pointer, and, while armed, its deadline, period and position in the queue.
/// <para>
/// Create it with the constructor (or zero it: a zeroed entry is valid and unarmed, but has no
/// callback and cannot be armed) and keep it at a fixed address while it is armed. An entry is
/// armed in at most one queue at a time. Do not overwrite, copy or free an armed entry: cancel it
/// first (or dispose its queue, which disarms every entry).
/// </para>
/// </summary>
public unsafe struct TimerEntry
{
    internal ulong _deadline;
    internal ulong _period;
    internal ulong _sequence;   // arming order, breaks deadline ties
    internal int _heapSlot;     // 1-based position in the owning queue's heap; 0 = not armed
    internal delegate*<TimerEntry*, void> _callback;
    internal void* _state;

    /// <param name="callback">Called with the entry when it expires (from <see cref="TimerQueue.Expire"/>).</param>
    /// <param name="state">Opaque pointer for the callback; the queue never reads it.</param>
    public TimerEntry(delegate*<TimerEntry*, void> callback, void* state)
    {
        _callback = callback;
        _state = state;
    }

    /// <summary>The time (ns) the timer is due at; meaningful only while <see cref="IsArmed"/>.</summary>
    public readonly ulong Deadline => _deadline;

    /// <summary>The period (ns) of a periodic timer, 0 for a one-shot; meaningful only while <see cref="IsArmed"/>.</summary>
    public readonly ulong Period => _period;

    /// <summary>True while the entry sits in a queue.</summary>
    public readonly bool IsArmed => _heapSlot != 0;

    public readonly delegate*<TimerEntry*, void> Callback => _callback;

    public readonly void* State => _state;
}
