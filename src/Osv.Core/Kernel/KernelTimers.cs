using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Time;

namespace Osv.Core.Time
{
    /// <summary>
    /// Kernel timers on the boot CPU: a <see cref="TimerQueue"/> whose earliest deadline is always the
    /// local APIC's one-shot. Callbacks run in the timer interrupt (IST stack, interrupts off): they
    /// must not sleep or allocate. Other CPUs get their own queues with the scheduler.
    /// </summary>
    public static unsafe class KernelTimers
    {
        private const int MaxCallbacksPerInterrupt = 256;

        private static TimerQueue s_queue;

        /// <summary>Runs at the end of every timer interrupt, after the EOI (the scheduler's preemption point).</summary>
        public static delegate*<void> AfterInterrupt;

        private static TimerQueue* Queue
        {
            get
            {
                fixed (TimerQueue* queue = &s_queue)
                    return queue;
            }
        }

        /// <summary>Takes over the timer vector. The allocator grows the queue's array (the kernel heap).</summary>
        public static void Initialize(delegate*<nuint, void*> allocate, delegate*<void*, void> free)
        {
            *Queue = new TimerQueue(allocate, free);
            TrapDispatcher.Register(LocalApic.TimerVector, &OnInterrupt);
        }

        public static int Count => Queue->Count;

        /// <summary>Arms <paramref name="timer"/> to fire after <paramref name="delay"/> ns, then every <paramref name="period"/> ns (0: once).</summary>
        public static bool Arm(TimerEntry* timer, ulong delay, ulong period)
            => ArmAt(timer, TscClock.NanosecondsSinceBoot + delay, period);

        /// <summary>Arms <paramref name="timer"/> for an absolute time (nanoseconds since boot).</summary>
        public static bool ArmAt(TimerEntry* timer, ulong deadline, ulong period)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            bool armed = Queue->Arm(timer, deadline, period);
            Reprogram(TscClock.NanosecondsSinceBoot);
            Cpu.RestoreInterrupts(wereEnabled);
            return armed;
        }

        /// <summary>False when the timer was not armed (already fired, or never armed).</summary>
        public static bool Cancel(TimerEntry* timer)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            bool cancelled = Queue->Cancel(timer);
            Reprogram(TscClock.NanosecondsSinceBoot);
            Cpu.RestoreInterrupts(wereEnabled);
            return cancelled;
        }

        [PopulatedStack]
        [RequiresInterruptsDisabled] // an interrupt gate clears IF on entry
        private static void OnInterrupt(TrapFrame* frame)
        {
            LocalApic.RecordTimerInterrupt();
            ulong now = TscClock.NanosecondsSinceBoot;
            Queue->Expire(now, MaxCallbacksPerInterrupt);
            Reprogram(TscClock.NanosecondsSinceBoot);
            LocalApic.EndOfInterrupt();
            if (AfterInterrupt != null)
                AfterInterrupt();
        }

        [RequiresInterruptsDisabled]
        private static void Reprogram(ulong now)
        {
            ulong next = Queue->NextDeadline;
            if (next == ulong.MaxValue)
                LocalApic.Disarm();
            else
                LocalApic.ArmOneShot(next > now ? next - now : 1);
        }
    }
}
