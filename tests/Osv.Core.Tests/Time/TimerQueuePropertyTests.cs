using System;
using System.Collections.Generic;
using Osv.Core.Time;
using Xunit;

namespace Osv.Core.Tests.Time;

/// <summary>
/// Random arm / re-arm / cancel / expire sequences with 12,000 to 16,384 timers outstanding (the test asserts at least 10,000 throughout), checked against
/// a sorted-set model (seeded, so a failure names its seed and step). Callbacks arm and cancel
/// timers too — themselves and others, due and not due — and allocation failures are injected.
/// Every callback must be the model's earliest due timer (deadline, then arming order), so each
/// due period fires exactly once, in order; periodic timers must come back at the model's
/// catch-up deadline; Count and NextDeadline must match the model after every step.
/// </summary>
public sealed unsafe class TimerQueuePropertyTests
{
    private const int EntryCount = 20_000;
    private const int InitiallyArmed = 16_384;   // fills the heap array exactly: the next new timer needs growth
    private const int Background = 12_000;       // ids below: long timeouts that random steps rarely touch
    private const ulong Second = 1_000_000_000;  // times are nanoseconds
    private const int Steps = 12_000;
    private const int ExhaustedSteps = 3_000;    // allocation fails throughout the first steps

    private sealed class Model
    {
        public readonly SortedSet<(ulong Deadline, ulong Sequence, int Id)> Armed = new();
        public readonly bool[] IsArmed = new bool[EntryCount];
        public readonly ulong[] Deadline = new ulong[EntryCount];
        public readonly ulong[] Period = new ulong[EntryCount];
        public readonly ulong[] Sequence = new ulong[EntryCount];
        private ulong _nextSequence;

        public ulong NextDeadline => Armed.Count == 0 ? ulong.MaxValue : Armed.Min.Deadline;

        public void Set(int id, ulong deadline, ulong period)
        {
            Remove(id);
            IsArmed[id] = true;
            Deadline[id] = deadline;
            Period[id] = period;
            Sequence[id] = _nextSequence++;
            Armed.Add((deadline, Sequence[id], id));
        }

        public void Remove(int id)
        {
            if (!IsArmed[id])
                return;
            Assert.True(Armed.Remove((Deadline[id], Sequence[id], id)));
            IsArmed[id] = false;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomOperationsMatchSortedModel(int seed)
    {
        var random = new Random(seed);
        var model = new Model();
        using var rig = new TimerRig(EntryCount);
        TimerQueue* queue = rig.Queue;
        ulong now = 10 * Second; // leaves room for deadlines in the past
        int step = -1;
        int minimumCount = int.MaxValue;
        int totalFired = 0;
        int periodicRefires = 0;
        int refusedArms = 0;
        int armedInCallbackAndFired = 0;
        int cancelsInCallback = 0;
        int armsInCallback = 0;
        bool inCallback = false;

        // Per Expire call: how often each id fired and was armed (to rule out bursts).
        var firedThisCall = new int[EntryCount];
        var armedThisCall = new int[EntryCount];
        var touched = new List<int>();

        string Where() => $"seed {seed} step {step}";

        void Check(bool condition, Func<string> message)
        {
            if (!condition)
                Assert.Fail($"{Where()}: {message()}");
        }

        bool Arm(int id, ulong deadline, ulong period)
        {
            bool mustGrow = !model.IsArmed[id] && queue->Count == queue->Capacity;
            bool expected = !(mustGrow && TrackingAllocator.Fail);
            bool armed = queue->Arm(rig[id], deadline, period);
            Check(expected == armed, () => $"Arm({id}) returned {armed}, model says {expected}");
            if (!armed)
            {
                refusedArms++;
                return false;
            }
            model.Set(id, deadline, period);
            armedThisCall[id]++;
            touched.Add(id);
            if (inCallback)
                armsInCallback++;
            return true;
        }

        void Cancel(int id)
        {
            bool expected = model.IsArmed[id];
            if (inCallback && expected)
                cancelsInCallback++;
            bool cancelled = queue->Cancel(rig[id]);
            Check(expected == cancelled, () => $"Cancel({id}) returned {cancelled}, model says {expected}");
            model.Remove(id);
        }

        ulong RandomDeadline()
        {
            int kind = random.Next(10);
            if (kind == 0)
                return now - (ulong)random.NextInt64(0, (long)Second); // already due
            if (kind == 1)
                return now; // due right now
            if (kind == 2)
                return now + (ulong)random.NextInt64(1, 1_000); // due very soon
            return now + (ulong)random.NextInt64(1, (long)Second / 10);
        }

        // Mostly an id above the background timers; sometimes any, to move timers deep in the heap.
        int RandomId() => random.Next(20) == 0 ? random.Next(EntryCount) : random.Next(Background, EntryCount);

        // Arms new timers until the array is full, then one more: refused while allocation fails,
        // else the array grows.
        void TopUp()
        {
            int target = queue->Capacity + 1;
            for (int tries = 0; tries < 4 * EntryCount && queue->Count < target; tries++)
            {
                int id = random.Next(Background, EntryCount);
                if (!model.IsArmed[id] && !Arm(id, RandomDeadline(), RandomPeriod()))
                    break;
            }
        }

        // A quarter periodic, periods from 1 ms to 100 ms (log-uniform).
        ulong RandomPeriod() => random.Next(4) == 0 ? (ulong)Math.Pow(10, 6 + 2 * random.NextDouble()) : 0;

        rig.Hook = id =>
        {
            Check(model.Armed.Count != 0, () => $"{id} fired with nothing armed in the model");
            (ulong deadline, _, int expectedId) = model.Armed.Min;
            Check(expectedId == id, () => $"{id} fired, model expects {expectedId} (deadline {deadline}) first");
            Check(deadline <= now, () => $"{id} fired before its deadline {deadline} (now {now})");

            if (armedThisCall[id] != 0)
                armedInCallbackAndFired++; // armed by a callback earlier in this Expire call, and due
            firedThisCall[id]++;
            touched.Add(id);
            Check(firedThisCall[id] <= 1 + armedThisCall[id], () => $"{id} fired twice in one call without being re-armed");
            totalFired++;

            ulong period = model.Period[id];
            if (period == 0)
            {
                model.Remove(id);
                Check(!rig[id]->IsArmed, () => $"one-shot {id} still armed in its callback");
            }
            else
            {
                // The first deadline + k * period after now, in 128-bit arithmetic.
                UInt128 next = deadline + ((UInt128)(now - deadline) / period + 1) * period;
                Check(next <= ulong.MaxValue, () => "test deadlines never get near overflow");
                model.Set(id, (ulong)next, period);
                Check(rig[id]->IsArmed, () => $"periodic {id} not re-armed in its callback");
                Check((ulong)next == rig[id]->Deadline, () => $"periodic {id} re-armed at {rig[id]->Deadline}, model {next}");
                periodicRefires++;
            }

            // Act from inside the callback: on itself and on others, due and not due.
            if (random.Next(4) != 0)
                return;
            inCallback = true;
            for (int actions = random.Next(1, 3); actions > 0; actions--)
            {
                int other = RandomId();
                switch (random.Next(6))
                {
                    case 0: Cancel(id); break;
                    case 1: Cancel(other); break;
                    case 2: Arm(id, RandomDeadline(), RandomPeriod()); break;
                    default: Arm(other, RandomDeadline(), RandomPeriod()); break;
                }
            }
            inCallback = false;
        };

        // Background timers due in 10..110 s, the rest within 2 s (the run covers about 1 s).
        for (int id = 0; id < InitiallyArmed; id++)
        {
            ulong deadline = id < Background
                ? now + 10 * Second + (ulong)random.NextInt64(0, 100 * (long)Second)
                : now + (ulong)random.NextInt64(0, 2 * (long)Second);
            Assert.True(Arm(id, deadline, id < Background ? 0 : RandomPeriod()));
        }
        Assert.Equal(InitiallyArmed, queue->Count);
        Assert.Equal(InitiallyArmed, queue->Capacity);

        // The first steps run out of memory, with the array topped up to full now and then: the
        // queue must refuse new timers (and only those) and carry on. Then memory comes back and
        // the next top-up grows the array.
        TrackingAllocator.Fail = true;
        for (step = 0; step < Steps; step++)
        {
            if (step < ExhaustedSteps && random.Next(25) == 0)
                TopUp();
            if (step == ExhaustedSteps)
            {
                TrackingAllocator.Fail = false;
                TopUp();
                Assert.Equal(2 * InitiallyArmed, queue->Capacity);
            }

            int choice = random.Next(100);
            if (choice < 35)
            {
                Arm(RandomId(), RandomDeadline(), RandomPeriod());
            }
            else if (choice < 50)
            {
                Cancel(RandomId());
            }
            else if (choice < 60)
            {
                TrackingAllocator.Fail = step < ExhaustedSteps || random.Next(3) == 0;
            }
            else
            {
                int jump = random.Next(100);
                ulong advance = jump < 1 ? (ulong)random.NextInt64(0, 30_000_000) // late tick: up to 30 ms
                    : jump < 10 ? 0
                    : (ulong)random.NextInt64(0, 200_000);
                now += advance;
                int max = random.Next(4) == 0 ? random.Next(-1, 8) : int.MaxValue;

                foreach (int id in touched)
                {
                    firedThisCall[id] = 0;
                    armedThisCall[id] = 0;
                }
                touched.Clear();

                int ran = rig.Expire(now, max).Count;
                Check(ran <= Math.Max(max, 0), () => $"ran {ran} callbacks, limit {max}");
                if (ran < max)
                    Check(model.NextDeadline > now, () => "Expire stopped with timers still due");
            }

            Check(model.Armed.Count == queue->Count, () => $"Count {queue->Count}, model {model.Armed.Count}");
            Check(model.NextDeadline == queue->NextDeadline, () => $"NextDeadline {queue->NextDeadline}, model {model.NextDeadline}");
            minimumCount = Math.Min(minimumCount, queue->Count);
            if (step % 1_000 == 0)
                CheckEveryEntry(rig, model, Where());
        }

        CheckEveryEntry(rig, model, $"seed {seed} end");
        string stats = $"seed {seed}: {totalFired} fired, {periodicRefires} periodic re-arms, {refusedArms} refused, " +
            $"{armsInCallback} arms and {cancelsInCallback} cancels in callbacks, {armedInCallbackAndFired} of those arms fired " +
            $"in the same call, count {minimumCount}..{queue->Count}, capacity {queue->Capacity}";
        Assert.True(minimumCount >= 10_000, stats);
        Assert.True(totalFired > 10_000, stats);
        Assert.True(periodicRefires > 1_000, stats);
        Assert.True(refusedArms > 100, stats);
        Assert.True(armsInCallback > 1_000, stats);
        Assert.True(cancelsInCallback > 100, stats);
        Assert.True(armedInCallbackAndFired > 100, stats);
        Assert.True(queue->Capacity > InitiallyArmed, stats); // grew once memory came back

        // Cancel everything from outside: then nothing may fire.
        rig.Hook = null;
        for (int id = 0; id < EntryCount; id++)
            Cancel(id);
        Assert.Equal(0, queue->Count);
        Assert.Equal(ulong.MaxValue, queue->NextDeadline);
        Assert.Empty(rig.Expire(ulong.MaxValue));

        TrackingAllocator.Fail = false;
        queue->Dispose();
        Assert.Equal(0, TrackingAllocator.LiveBlocks);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void LateTicksNeverBurstPeriodicTimers(int seed)
    {
        // Only periodic timers, no callback actions: every Expire runs each due timer exactly once
        // and leaves it at its first deadline + k * period after now.
        var random = new Random(seed);
        const int timers = 10_000;
        using var rig = new TimerRig(timers);
        var start = new ulong[timers];
        var period = new ulong[timers];
        for (int id = 0; id < timers; id++)
        {
            start[id] = (ulong)random.NextInt64(0, 1_000_000);
            period[id] = (ulong)random.NextInt64(1, 100_000);
            Assert.True(rig.Arm(id, start[id], period[id]));
        }

        ulong now = 0;
        var fired = new bool[timers];
        for (int tick = 0; tick < 40; tick++)
        {
            now += (ulong)random.NextInt64(0, 400_000);
            var before = new ulong[timers];
            int dueCount = 0;
            for (int id = 0; id < timers; id++)
            {
                before[id] = rig[id]->Deadline;
                if (before[id] <= now)
                    dueCount++;
            }

            Array.Clear(fired);
            ulong previous = 0;
            List<int> ran = rig.Expire(now);
            Assert.Equal(dueCount, ran.Count);
            foreach (int id in ran)
            {
                string at = $"seed {seed} tick {tick} timer {id}";
                Assert.True(before[id] <= now, $"{at}: was not due");
                Assert.False(fired[id], $"{at}: fired twice");
                fired[id] = true;
                Assert.True(before[id] >= previous, $"{at}: out of deadline order");
                previous = before[id];
                ulong expected = start[id] + ((now - start[id]) / period[id] + 1) * period[id];
                Assert.Equal(expected, rig[id]->Deadline);
            }
            Assert.Equal(timers, rig.Queue->Count);
            Assert.True(rig.Queue->NextDeadline > now);
        }
        rig.Queue->Dispose();
        Assert.Equal(0, TrackingAllocator.LiveBlocks);
    }

    private static void CheckEveryEntry(TimerRig rig, Model model, string where)
    {
        for (int id = 0; id < EntryCount; id++)
        {
            TimerEntry* entry = rig[id];
            Assert.True(model.IsArmed[id] == entry->IsArmed, $"{where}: entry {id} armed {entry->IsArmed}, model {model.IsArmed[id]}");
            Assert.True(model.IsArmed[id] == rig.Queue->Contains(entry), $"{where}: Contains({id}) disagrees with model");
            if (model.IsArmed[id])
            {
                Assert.True(model.Deadline[id] == entry->Deadline, $"{where}: entry {id} deadline {entry->Deadline}, model {model.Deadline[id]}");
                Assert.True(model.Period[id] == entry->Period, $"{where}: entry {id} period {entry->Period}, model {model.Period[id]}");
            }
        }
    }
}
