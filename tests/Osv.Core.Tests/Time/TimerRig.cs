using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Osv.Core.Time;
using Xunit;

namespace Osv.Core.Tests.Time;

/// <summary>
/// Allocator for <see cref="TimerQueue"/> tests that counts live blocks and can be told to fail.
/// State is per thread: xunit runs a test on one thread, and callbacks run on the thread that
/// calls Expire, so tests in parallel classes do not see each other's counts.
/// </summary>
internal static unsafe class TrackingAllocator
{
    [ThreadStatic] private static Dictionary<nint, nuint>? t_live;
    [ThreadStatic] private static bool t_fail;
    [ThreadStatic] private static int t_allocations;

    private static Dictionary<nint, nuint> Live => t_live ??= new Dictionary<nint, nuint>();

    public static void Reset()
    {
        Live.Clear(); // a failed test on this thread may have left blocks behind
        t_fail = false;
        t_allocations = 0;
    }

    /// <summary>While set, every allocation returns null.</summary>
    public static bool Fail { get => t_fail; set => t_fail = value; }

    public static int LiveBlocks => Live.Count;
    public static int Allocations => t_allocations;

    public static void* Allocate(nuint size)
    {
        if (t_fail)
            return null;
        void* block = NativeMemory.Alloc(size);
        NativeMemory.Fill(block, size, 0xCD); // the queue must not rely on zeroed memory
        Live.Add((nint)block, size);
        t_allocations++;
        return block;
    }

    public static void Free(void* block)
    {
        Assert.True(Live.Remove((nint)block), "freed a block the allocator did not hand out (or twice)");
        NativeMemory.Free(block);
    }
}

/// <summary>
/// A queue and a block of entries in native memory (the kernel keeps both outside any GC heap).
/// Entry i carries i as its state; its callback logs i and runs the test's hook.
/// </summary>
internal sealed unsafe class TimerRig : IDisposable
{
    [ThreadStatic] private static TimerRig? t_current;

    public TimerRig(int entryCount)
    {
        TrackingAllocator.Reset();
        EntryCount = entryCount;
        Queue = (TimerQueue*)NativeMemory.AllocZeroed((nuint)sizeof(TimerQueue));
        *Queue = new TimerQueue(&TrackingAllocator.Allocate, &TrackingAllocator.Free);
        Entries = (TimerEntry*)NativeMemory.AllocZeroed((nuint)entryCount * (nuint)sizeof(TimerEntry));
        for (int i = 0; i < entryCount; i++)
            Entries[i] = new TimerEntry(&OnFire, (void*)(nint)i);
        t_current = this;
    }

    public int EntryCount { get; }
    public TimerQueue* Queue { get; }
    public TimerEntry* Entries { get; }

    /// <summary>Ids in the order their callbacks ran.</summary>
    public List<int> Fired { get; } = new();

    /// <summary>Runs inside each callback, after the id is logged.</summary>
    public Action<int>? Hook { get; set; }

    public TimerEntry* this[int id] => Entries + id;

    public int IdOf(TimerEntry* entry) => (int)(nint)entry->State;

    public bool Arm(int id, ulong deadline, ulong period = 0) => Queue->Arm(Entries + id, deadline, period);

    public bool Cancel(int id) => Queue->Cancel(Entries + id);

    /// <summary>Expire and return the ids that fired in this call.</summary>
    public List<int> Expire(ulong now, int maxCallbacks = int.MaxValue)
    {
        int before = Fired.Count;
        int ran = Queue->Expire(now, maxCallbacks);
        Assert.Equal(Fired.Count - before, ran);
        return Fired.GetRange(before, ran);
    }

    private static void OnFire(TimerEntry* entry)
    {
        TimerRig rig = t_current!;
        int id = (int)(nint)entry->State;
        Assert.True(entry == rig.Entries + id, "callback got a different entry than its state names");
        rig.Fired.Add(id);
        rig.Hook?.Invoke(id);
    }

    public void Dispose()
    {
        Queue->Dispose();
        NativeMemory.Free(Queue);
        NativeMemory.Free(Entries);
        t_current = null;
    }
}
