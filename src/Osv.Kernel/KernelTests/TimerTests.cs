using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Smp;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;
using Osv.Core.Time;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=timers`: thousands of outstanding timers, periodic timers on every CPU, and how late a
    /// sleep wakes (printed, so a run under QEMU's -icount virtual clock can hold it to a tight bound).
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class TimerTests
    {
        public static void Run(ref CheckReport report)
        {
            report.Check("ten thousand timers fire in deadline order; cancelled ones never do", ManyTimers());
            report.Check("periodic timers fire on the CPU that armed them, on every CPU", PeriodicOnEveryCpu());
            report.Check("sleeps end after their time, never before", SleepLateness());
        }

        // ---- many outstanding timers ----

        private const int ManyCount = 10000;
        private static int* s_firedSlots;
        private static int s_fired;
        private static int s_early;

        [RequiresInterruptsDisabled]
        private static void OnManyTimer(TimerEntry* timer)
        {
            if (TscClock.NanosecondsSinceBoot < timer->Deadline)
                s_early++;
            if (s_fired < ManyCount)
                s_firedSlots[s_fired] = (int)(nint)timer->State;
            s_fired++;
        }

        private static bool ManyTimers()
        {
            TimerEntry* timers = (TimerEntry*)NativeMemory.AllocZeroed((nuint)(ManyCount * sizeof(TimerEntry)));
            s_firedSlots = (int*)NativeMemory.AllocZeroed((nuint)(ManyCount * sizeof(int)));
            if (timers == null || s_firedSlots == null)
                return false;
            s_fired = 0;
            s_early = 0;
            int armedBefore = KernelTimers.Count;
            // Slot i is due at start + i * 10 µs; armed in a scrambled order (7919 is prime, coprime with 10000).
            ulong start = TscClock.NanosecondsSinceBoot + 300000000; // after all are armed, even on a slow host
            bool armed = true;
            for (int k = 0; k < ManyCount; k++)
            {
                int slot = (int)((long)k * 7919 % ManyCount);
                timers[slot] = new TimerEntry(&OnManyTimer, (void*)(nint)slot);
                armed &= KernelTimers.ArmAt(&timers[slot], start + (ulong)slot * 10000, 0);
            }
            int outstanding = KernelTimers.Count - armedBefore;
            int expected = 0;
            bool cancelled = true;
            for (int slot = 0; slot < ManyCount; slot++)
            {
                if (slot % 3 == 2)
                    cancelled &= KernelTimers.Cancel(&timers[slot]);
                else
                    expected++;
            }
            ulong deadline = TscClock.NanosecondsSinceBoot + 10000000000UL;
            while (Volatile.Read(ref s_fired) < expected && TscClock.NanosecondsSinceBoot < deadline)
                Scheduler.Sleep(5000000);
            Scheduler.Sleep(2000000); // a stray late timer would show up in the count
            bool inOrder = true;
            bool noCancelledFired = true;
            int fired = Volatile.Read(ref s_fired);
            for (int n = 0; n < fired && n < ManyCount; n++)
            {
                inOrder &= n == 0 || s_firedSlots[n] > s_firedSlots[n - 1];
                noCancelledFired &= s_firedSlots[n] % 3 != 2;
            }
            bool ok = Expect.True("all armed", armed)
                & Expect.Equal("outstanding at once", ManyCount, outstanding)
                & Expect.True("all cancelled", cancelled)
                & Expect.Equal("fired", expected, fired)
                & Expect.True("in deadline order", inOrder)
                & Expect.True("no cancelled timer fired", noCancelledFired)
                & Expect.Equal("fired early", 0, s_early)
                & Expect.Equal("left armed", armedBefore, KernelTimers.Count);
            NativeMemory.Free(timers);
            NativeMemory.Free(s_firedSlots);
            return ok;
        }

        // ---- periodic timers per CPU ----

        [StructLayout(LayoutKind.Sequential)]
        private struct PerCpuTimer
        {
            public TimerEntry Entry;
            public int Cpu;
            public int Ticks;
            public int WrongCpu;
            public int TicksAfterCancel;
            public ulong ArmedFor;
        }

        [RequiresInterruptsDisabled]
        private static void OnPeriodic(TimerEntry* timer)
        {
            PerCpuTimer* state = (PerCpuTimer*)timer->State;
            state->Ticks++;
            if (CpuLocal.Current->Index != state->Cpu)
                state->WrongCpu++;
        }

        private static void ArmOnMyCpu(void* argument)
        {
            PerCpuTimer* state = (PerCpuTimer*)argument;
            state->Entry = new TimerEntry(&OnPeriodic, state);
            ulong start = TscClock.NanosecondsSinceBoot;
            if (Scheduler.CurrentCpu == state->Cpu && KernelTimers.Arm(&state->Entry, 1000000, 1000000))
            {
                Scheduler.Sleep(30000000);
                KernelTimers.Cancel(&state->Entry);
                state->ArmedFor = TscClock.NanosecondsSinceBoot - start;
                int ticks = Volatile.Read(ref state->Ticks);
                Scheduler.Sleep(5000000);
                state->TicksAfterCancel = Volatile.Read(ref state->Ticks) - ticks;
            }
        }

        private static bool PeriodicOnEveryCpu()
        {
            int cpus = Scheduler.CpuCount;
            PerCpuTimer* states = (PerCpuTimer*)NativeMemory.AllocZeroed((nuint)(cpus * sizeof(PerCpuTimer)));
            KernelThread?[] threads = new KernelThread?[cpus];
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                states[cpu].Cpu = cpu;
                threads[cpu] = Scheduler.Create(&ArmOnMyCpu, &states[cpu], 0, cpu);
            }
            bool ok = true;
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                if (threads[cpu] != null)
                    Scheduler.Join(threads[cpu]!);
                ok &= Expect.True("thread created", threads[cpu] != null)
                    // A vCPU the host stalls misses ticks (a late periodic timer fires once), so only the upper bound is exact.
                    & Expect.InRange("periodic ticks at 1 ms", 1, (long)(states[cpu].ArmedFor / 1000000) + 1, states[cpu].Ticks)
                    & Expect.Equal("ticks on another CPU", 0, states[cpu].WrongCpu)
                    & Expect.Equal("ticks after cancel", 0, states[cpu].TicksAfterCancel);
            }
            Osv.Runtime.ObjectMemory.Free(threads);
            NativeMemory.Free(states);
            return ok;
        }

        // ---- sleep lateness ----

        private static bool SleepLateness()
        {
            ulong worst = 0;
            bool neverEarly = true;
            for (int round = 0; round < 3; round++)
            {
                for (ulong micros = 1000; micros <= 8000; micros *= 2)
                {
                    ulong requested = micros * 1000;
                    ulong before = TscClock.NanosecondsSinceBoot;
                    Scheduler.Sleep(requested);
                    ulong slept = TscClock.NanosecondsSinceBoot - before;
                    neverEarly &= slept >= requested;
                    if (slept >= requested && slept - requested > worst)
                        worst = slept - requested;
                }
            }
            KernelConsole.Write("test timers: sleep lateness, worst of 12: ");
            KernelConsole.WriteDecimal(worst / 1000);
            KernelConsole.WriteLine(" us");
            return Expect.True("no sleep ended early", neverEarly)
                & Expect.InRange("worst lateness (ns)", 0, 1000000000, (long)worst); // a bound for a loaded host; -icount runs hold it tighter
        }
    }
}
