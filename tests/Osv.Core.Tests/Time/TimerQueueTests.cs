using System.Collections.Generic;
using Osv.Core.Time;
using Xunit;

namespace Osv.Core.Tests.Time;

public sealed unsafe class TimerQueueTests
{
    [Fact]
    public void EmptyQueueHasNoDeadlineAndAllocatesNothing()
    {
        using var rig = new TimerRig(4);
        Assert.Equal(0, rig.Queue->Count);
        Assert.Equal(ulong.MaxValue, rig.Queue->NextDeadline);
        Assert.Empty(rig.Expire(ulong.MaxValue));
        Assert.False(rig.Cancel(0));
        Assert.False(rig.Queue->Contains(rig[0]));
        Assert.Equal(0, TrackingAllocator.Allocations);
        Assert.Equal(0, rig.Queue->Capacity);
    }

    [Fact]
    public void OneShotFiresOnceWhenDue()
    {
        using var rig = new TimerRig(4);
        Assert.True(rig.Arm(1, 100));
        Assert.True(rig[1]->IsArmed);
        Assert.Equal(100UL, rig.Queue->NextDeadline);
        Assert.Empty(rig.Expire(99));
        Assert.Equal(new[] { 1 }, rig.Expire(100));
        Assert.False(rig[1]->IsArmed);
        Assert.Equal(0, rig.Queue->Count);
        Assert.Equal(ulong.MaxValue, rig.Queue->NextDeadline);
        Assert.Empty(rig.Expire(10_000));
        Assert.False(rig.Cancel(1));
    }

    [Fact]
    public void PastDeadlineFiresAtNextExpire()
    {
        using var rig = new TimerRig(2);
        Assert.True(rig.Arm(0, 5));
        Assert.Equal(new[] { 0 }, rig.Expire(1_000));
    }

    [Fact]
    public void DeadlineOrderWithTiesInArmingOrder()
    {
        using var rig = new TimerRig(6);
        Assert.True(rig.Arm(0, 50));
        Assert.True(rig.Arm(1, 30));
        Assert.True(rig.Arm(2, 50));
        Assert.True(rig.Arm(3, 50));
        Assert.True(rig.Arm(4, 10));
        Assert.True(rig.Arm(0, 50)); // re-arming counts as a new arming: 0 moves behind 2 and 3
        Assert.True(rig.Arm(5, 50));
        Assert.Equal(6, rig.Queue->Count); // the re-arm moved 0, it did not add it twice
        Assert.Equal(new[] { 4, 1, 2, 3, 0, 5 }, rig.Expire(50));
    }

    [Fact]
    public void RearmMovesEarlierAndLater()
    {
        using var rig = new TimerRig(3);
        Assert.True(rig.Arm(0, 100));
        Assert.True(rig.Arm(1, 200));
        Assert.True(rig.Arm(2, 300));
        Assert.True(rig.Arm(2, 50));
        Assert.Equal(50UL, rig.Queue->NextDeadline);
        Assert.True(rig.Arm(2, 400, 7));
        Assert.Equal(7UL, rig[2]->Period);
        Assert.Equal(400UL, rig[2]->Deadline);
        Assert.Equal(100UL, rig.Queue->NextDeadline);
        Assert.Equal(new[] { 0, 1 }, rig.Expire(399));
    }

    [Fact]
    public void PeriodicCatchesUpWithoutBurst()
    {
        using var rig = new TimerRig(1);
        Assert.True(rig.Arm(0, 100, 10));
        Assert.Equal(new[] { 0 }, rig.Expire(100));
        Assert.Equal(110UL, rig[0]->Deadline);
        Assert.Empty(rig.Expire(109));

        // 90 periods late: one callback, next deadline is the first 100 + 10k after now.
        Assert.Equal(new[] { 0 }, rig.Expire(1_005));
        Assert.Equal(1_010UL, rig[0]->Deadline);

        // Exactly on a period boundary: that period is due, the next one is not.
        Assert.Equal(new[] { 0 }, rig.Expire(1_010));
        Assert.Equal(1_020UL, rig[0]->Deadline);
        Assert.True(rig[0]->IsArmed);
        Assert.Equal(1, rig.Queue->Count);
    }

    [Fact]
    public void PeriodicTimerIsAlreadyRearmedInsideItsCallback()
    {
        using var rig = new TimerRig(1);
        ulong seenDeadline = 0;
        bool seenArmed = false;
        rig.Hook = id => { seenArmed = rig[id]->IsArmed; seenDeadline = rig[id]->Deadline; };
        Assert.True(rig.Arm(0, 10, 25));
        rig.Expire(60);
        Assert.True(seenArmed);
        Assert.Equal(85UL, seenDeadline);
    }

    [Fact]
    public void PeriodicTimerWhoseNextDeadlineOverflowsIsDisarmed()
    {
        using var rig = new TimerRig(2);
        Assert.True(rig.Arm(0, ulong.MaxValue - 5, 10));
        Assert.True(rig.Arm(1, ulong.MaxValue - 20, ulong.MaxValue));
        Assert.Equal(new[] { 1, 0 }, rig.Expire(ulong.MaxValue));
        Assert.False(rig[0]->IsArmed);
        Assert.False(rig[1]->IsArmed);
        Assert.Equal(0, rig.Queue->Count);
    }

    [Fact]
    public void LargestPeriodThatFitsIsRearmed()
    {
        using var rig = new TimerRig(1);
        Assert.True(rig.Arm(0, 0, ulong.MaxValue));
        Assert.Equal(new[] { 0 }, rig.Expire(0));
        Assert.Equal(ulong.MaxValue, rig[0]->Deadline);
        Assert.True(rig[0]->IsArmed);
        Assert.Equal(ulong.MaxValue, rig.Queue->NextDeadline);
        Assert.Equal(1, rig.Queue->Count);
    }

    [Fact]
    public void CallbackCancelsItself()
    {
        using var rig = new TimerRig(2);
        int runs = 0;
        rig.Hook = id => { if (id == 0 && ++runs == 3) Assert.True(rig.Cancel(0)); };
        Assert.True(rig.Arm(0, 10, 10));
        Assert.True(rig.Arm(1, 1_000));
        for (ulong now = 10; now <= 100; now += 10)
            rig.Expire(now);
        Assert.Equal(3, runs);
        Assert.False(rig[0]->IsArmed);
        Assert.Equal(1, rig.Queue->Count);
        Assert.Equal(1_000UL, rig.Queue->NextDeadline);
    }

    [Fact]
    public void OneShotCallbackCannotCancelItselfButCanRearm()
    {
        using var rig = new TimerRig(1);
        bool cancelled = true;
        int runs = 0;
        rig.Hook = id =>
        {
            cancelled = rig.Cancel(id); // already disarmed
            if (++runs < 3)
                Assert.True(rig.Arm(id, rig[id]->Deadline + 100));
        };
        Assert.True(rig.Arm(0, 100));
        Assert.Single(rig.Expire(100));
        Assert.False(cancelled);
        Assert.Equal(200UL, rig.Queue->NextDeadline);
        Assert.Single(rig.Expire(250));
        Assert.Single(rig.Expire(300));
        Assert.Empty(rig.Expire(10_000));
        Assert.Equal(3, runs);
    }

    [Fact]
    public void CallbackCancelsOthersThatAreDue()
    {
        using var rig = new TimerRig(4);
        rig.Hook = id => { if (id == 0) { Assert.True(rig.Cancel(2)); Assert.True(rig.Cancel(3)); } };
        Assert.True(rig.Arm(0, 10));
        Assert.True(rig.Arm(1, 11));
        Assert.True(rig.Arm(2, 12));
        Assert.True(rig.Arm(3, 500));
        Assert.Equal(new[] { 0, 1 }, rig.Expire(100));
        Assert.Equal(0, rig.Queue->Count);
    }

    [Fact]
    public void TimerArmedByCallbackFiresInSameCallOnlyIfDue()
    {
        using var rig = new TimerRig(5);
        rig.Hook = id =>
        {
            if (id != 0)
                return;
            Assert.True(rig.Arm(2, 100)); // due, later than timer 1: runs after it
            Assert.True(rig.Arm(3, 20));  // due, earlier than timer 1: runs before it
            Assert.True(rig.Arm(4, 101)); // not due
        };
        Assert.True(rig.Arm(0, 10));
        Assert.True(rig.Arm(1, 50));
        Assert.Equal(new[] { 0, 3, 1, 2 }, rig.Expire(100));
        Assert.Equal(1, rig.Queue->Count);
        Assert.Equal(101UL, rig.Queue->NextDeadline);
    }

    [Fact]
    public void CallbackMovesAnotherDueTimerLater()
    {
        using var rig = new TimerRig(3);
        rig.Hook = id => { if (id == 0) Assert.True(rig.Arm(1, 1_000)); };
        Assert.True(rig.Arm(0, 1));
        Assert.True(rig.Arm(1, 2));
        Assert.True(rig.Arm(2, 3));
        Assert.Equal(new[] { 0, 2 }, rig.Expire(10));
        Assert.Equal(1_000UL, rig.Queue->NextDeadline);
    }

    [Fact]
    public void MaxCallbacksLeavesTheRestDue()
    {
        using var rig = new TimerRig(5);
        for (int i = 0; i < 5; i++)
            Assert.True(rig.Arm(i, (ulong)(10 - i)));
        Assert.Equal(new[] { 4, 3 }, rig.Expire(100, 2));
        Assert.Equal(3, rig.Queue->Count);
        Assert.Equal(8UL, rig.Queue->NextDeadline);
        Assert.Empty(rig.Expire(100, 0));
        Assert.Empty(rig.Expire(100, -1));
        Assert.Equal(new[] { 2, 1, 0 }, rig.Expire(100));
    }

    [Fact]
    public void CallbackThatKeepsRearmingAsDueIsBoundedByMaxCallbacks()
    {
        using var rig = new TimerRig(1);
        rig.Hook = id => Assert.True(rig.Arm(id, 50));
        Assert.True(rig.Arm(0, 50));
        Assert.Equal(10, rig.Expire(50, 10).Count);
        Assert.True(rig[0]->IsArmed);
    }

    [Fact]
    public void GrowthFailureReturnsFalseAndLeavesQueueIntact()
    {
        using var rig = new TimerRig(40);
        for (int i = 0; i < TimerQueue.InitialCapacity; i++)
            Assert.True(rig.Arm(i, (ulong)(1_000 - i)));
        Assert.Equal(TimerQueue.InitialCapacity, rig.Queue->Capacity);

        TrackingAllocator.Fail = true;
        int extra = TimerQueue.InitialCapacity;
        Assert.False(rig.Arm(extra, 1));
        Assert.False(rig[extra]->IsArmed);
        Assert.False(rig.Queue->Reserve(100));
        Assert.Equal(TimerQueue.InitialCapacity, rig.Queue->Count);
        Assert.Equal(TimerQueue.InitialCapacity, rig.Queue->Capacity);
        Assert.Equal((ulong)(1_000 - TimerQueue.InitialCapacity + 1), rig.Queue->NextDeadline);

        // Moving and cancelling armed timers needs no memory.
        Assert.True(rig.Arm(0, 1));
        Assert.True(rig.Cancel(5));
        Assert.True(rig.Arm(extra, 2)); // a slot is free again
        Assert.False(rig.Arm(extra + 1, 3));
        TrackingAllocator.Fail = false;

        Assert.True(rig.Arm(extra + 1, 3));
        Assert.Equal(2 * TimerQueue.InitialCapacity, rig.Queue->Capacity);
        Assert.Equal(1, TrackingAllocator.LiveBlocks);

        var expected = new List<int> { 0, extra, extra + 1 };
        for (int i = TimerQueue.InitialCapacity - 1; i >= 1; i--)
            if (i != 5)
                expected.Add(i);
        Assert.Equal(expected, rig.Expire(1_000));
    }

    [Fact]
    public void QueueWithoutAllocatorRefusesToArm()
    {
        using var rig = new TimerRig(1);
        TimerQueue queue = default;
        Assert.False(queue.Arm(rig[0], 1, 0));
        Assert.False(rig[0]->IsArmed);
        queue.Dispose();
    }

    [Fact]
    public void ReserveAvoidsLaterAllocation()
    {
        using var rig = new TimerRig(100);
        Assert.True(rig.Queue->Reserve(100));
        Assert.Equal(128, rig.Queue->Capacity);
        Assert.False(rig.Queue->Reserve(TimerQueue.MaxCapacity + 1));
        int allocations = TrackingAllocator.Allocations;
        TrackingAllocator.Fail = true;
        for (int i = 0; i < 100; i++)
            Assert.True(rig.Arm(i, (ulong)i));
        Assert.Equal(allocations, TrackingAllocator.Allocations);
        TrackingAllocator.Fail = false;
    }

    [Fact]
    public void ArmRefusesNullTimerMissingCallbackAndForeignEntries()
    {
        using var rig = new TimerRig(2);
        Assert.False(rig.Queue->Arm(null, 1, 0));
        Assert.False(rig.Queue->Cancel(null));

        TimerEntry noCallback = default;
        Assert.False(rig.Queue->Arm(&noCallback, 1, 0));
        Assert.False(noCallback.IsArmed);

        // Entry 0 is armed in another queue: this one neither takes nor cancels it.
        TimerQueue other = new(&TrackingAllocator.Allocate, &TrackingAllocator.Free);
        Assert.True(rig.Arm(1, 1));
        Assert.True(other.Arm(rig[0], 1, 0));
        Assert.False(rig.Arm(0, 5));
        Assert.False(rig.Cancel(0));
        Assert.False(rig.Queue->Contains(rig[0]));
        Assert.True(other.Contains(rig[0]));
        Assert.Equal(1, rig.Queue->Count);
        Assert.True(other.Cancel(rig[0]));
        other.Dispose();
        Assert.True(rig.Arm(0, 5));
    }

    [Fact]
    public void DisposeFreesTheArrayAndDisarmsEveryTimer()
    {
        using var rig = new TimerRig(1_000);
        for (int i = 0; i < 1_000; i++)
            Assert.True(rig.Arm(i, (ulong)(i * 7 % 13), (ulong)(i % 3)));
        Assert.Equal(1, TrackingAllocator.LiveBlocks);
        rig.Queue->Dispose();
        Assert.Equal(0, TrackingAllocator.LiveBlocks);
        Assert.Equal(0, rig.Queue->Count);
        Assert.Equal(0, rig.Queue->Capacity);
        Assert.Equal(ulong.MaxValue, rig.Queue->NextDeadline);
        for (int i = 0; i < 1_000; i++)
            Assert.False(rig[i]->IsArmed);
        rig.Queue->Dispose(); // twice is harmless

        // Still usable: entries can be armed again.
        Assert.True(rig.Arm(3, 10));
        Assert.Equal(new[] { 3 }, rig.Expire(10));
        rig.Queue->Dispose();
        Assert.Equal(0, TrackingAllocator.LiveBlocks);
    }
}
