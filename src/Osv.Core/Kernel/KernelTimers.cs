using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Smp;
using Osv.Arch.X64.Time;

namespace Osv.Core.Time
{
    /// <summary>
    /// Kernel timers, one <see cref="TimerQueue"/> per CPU whose earliest deadline is always that
    /// CPU's local APIC one-shot. A timer fires on the CPU that armed it. Callbacks run in the timer
    /// interrupt (interrupt stack, interrupts off) with their CPU's queue locked: they must not sleep
    /// or allocate, and may arm or cancel only timers of their own CPU.
    /// </summary>
    public static unsafe class KernelTimers
    {
        private const int MaxCallbacksPerInterrupt = 256;

        [StructLayout(LayoutKind.Sequential)]
        private struct CpuTimers
        {
            public TimerQueue Queue;
            public SpinLock Lock;
            public int Expiring; // this CPU runs callbacks and holds Lock: arming from them must not lock again
        }

        private static CpuTimers* s_cpus;
        private static int s_cpuCount;

        /// <summary>Runs at the end of every timer interrupt, after the EOI (the scheduler's preemption point).</summary>
        public static delegate*<void> AfterInterrupt;

        /// <summary>
        /// Takes over the timer vector, with a queue for each of <paramref name="cpuCount"/> CPUs. The
        /// allocator grows the queues' arrays (the kernel heap). False when memory runs out.
        /// </summary>
        public static bool Initialize(int cpuCount, delegate*<nuint, void*> allocate, delegate*<void*, void> free)
        {
            if (cpuCount < 1)
                cpuCount = 1;
            s_cpus = (CpuTimers*)allocate((nuint)(cpuCount * sizeof(CpuTimers)));
            if (s_cpus == null)
                return false;
            for (int i = 0; i < cpuCount; i++)
                s_cpus[i].Queue = new TimerQueue(allocate, free);
            s_cpuCount = cpuCount;
            TrapDispatcher.Register(LocalApic.TimerVector, &OnInterrupt);
            return true;
        }

        /// <summary>Timers armed on every CPU (a racy sum: exact only while nothing arms or fires).</summary>
        public static int Count
        {
            get
            {
                int count = 0;
                for (int i = 0; i < s_cpuCount; i++)
                    count += s_cpus[i].Queue.Count;
                return count;
            }
        }

        /// <summary>Arms <paramref name="timer"/> on this CPU to fire after <paramref name="delay"/> ns, then every <paramref name="period"/> ns (0: once).</summary>
        public static bool Arm(TimerEntry* timer, ulong delay, ulong period)
            => ArmAt(timer, TscClock.NanosecondsSinceBoot + delay, period);

        /// <summary>Arms <paramref name="timer"/> on this CPU for an absolute time (ns since boot); a timer armed elsewhere moves here.</summary>
        public static bool ArmAt(TimerEntry* timer, ulong deadline, ulong period)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            CpuTimers* mine = ThisCpu;
            if (timer != null && timer->IsArmed && !mine->Queue.Contains(timer))
                CancelOnOtherCpus(timer, mine);
            bool locked = LockUnlessExpiring(mine);
            bool armed = mine->Queue.Arm(timer, deadline, period);
            Reprogram(mine, TscClock.NanosecondsSinceBoot);
            if (locked)
                mine->Lock.UnlockWithInterruptsOff();
            Cpu.RestoreInterrupts(wereEnabled);
            return armed;
        }

        /// <summary>Disarms <paramref name="timer"/> wherever it is armed; false when it was not armed (already fired, or never armed).</summary>
        public static bool Cancel(TimerEntry* timer)
        {
            if (timer == null || !timer->IsArmed)
                return false;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            CpuTimers* mine = ThisCpu;
            bool locked = LockUnlessExpiring(mine);
            bool cancelled = mine->Queue.Cancel(timer);
            if (cancelled)
                Reprogram(mine, TscClock.NanosecondsSinceBoot);
            if (locked)
                mine->Lock.UnlockWithInterruptsOff();
            if (!cancelled)
                cancelled = CancelOnOtherCpus(timer, mine);
            Cpu.RestoreInterrupts(wereEnabled);
            return cancelled;
        }

        /// <summary>Starts this CPU's queue on its local APIC (a secondary CPU entering the scheduler).</summary>
        [RequiresInterruptsDisabled]
        public static void StartOnThisCpu() => Reprogram(ThisCpu, TscClock.NanosecondsSinceBoot);

        private static CpuTimers* ThisCpu
        {
            [RequiresInterruptsDisabled]
            get
            {
                int index = CpuLocal.Current->Index;
                return &s_cpus[index < s_cpuCount ? index : 0];
            }
        }

        [RequiresInterruptsDisabled]
        private static bool LockUnlessExpiring(CpuTimers* timers)
        {
            if (timers->Expiring != 0)
                return false;
            timers->Lock.LockWithInterruptsOff();
            return true;
        }

        /// <summary>Another CPU's queue keeps its APIC armed for a cancelled timer: that interrupt finds nothing due and re-arms.</summary>
        [RequiresInterruptsDisabled]
        private static bool CancelOnOtherCpus(TimerEntry* timer, CpuTimers* mine)
        {
            for (int i = 0; i < s_cpuCount; i++)
            {
                CpuTimers* other = &s_cpus[i];
                if (other == mine)
                    continue;
                other->Lock.LockWithInterruptsOff();
                bool cancelled = other->Queue.Cancel(timer);
                other->Lock.UnlockWithInterruptsOff();
                if (cancelled)
                    return true;
            }
            return false;
        }

        [PopulatedStack]
        [RequiresInterruptsDisabled] // an interrupt gate clears IF on entry
        private static void OnInterrupt(TrapFrame* frame)
        {
            LocalApic.RecordTimerInterrupt();
            CpuTimers* mine = ThisCpu;
            mine->Lock.LockWithInterruptsOff();
            mine->Expiring = 1;
            mine->Queue.Expire(TscClock.NanosecondsSinceBoot, MaxCallbacksPerInterrupt);
            mine->Expiring = 0;
            Reprogram(mine, TscClock.NanosecondsSinceBoot);
            mine->Lock.UnlockWithInterruptsOff();
            LocalApic.EndOfInterrupt();
            if (AfterInterrupt != null)
                AfterInterrupt();
        }

        [RequiresInterruptsDisabled]
        private static void Reprogram(CpuTimers* timers, ulong now)
        {
            ulong next = timers->Queue.NextDeadline;
            if (next == ulong.MaxValue)
                LocalApic.Disarm();
            else
                LocalApic.ArmOneShot(next > now ? next - now : 1);
        }
    }
}
