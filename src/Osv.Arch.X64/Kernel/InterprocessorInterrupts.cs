using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Time;

namespace Osv.Arch.X64.Smp
{
    /// <summary>Interrupts one CPU sends another (fixed delivery through the local APIC).</summary>
    public static unsafe class InterprocessorInterrupts
    {
        /// <summary>"Are you there": the receiver counts it in its <see cref="CpuLocal"/>.</summary>
        public const byte PingVector = 0xF1;

        /// <summary>"Look at your run queue": the receiver runs <see cref="AfterWake"/> (the scheduler's preemption point).</summary>
        public const byte WakeVector = 0xF2;

        /// <summary>"Flush your TLB": the receiver reloads CR3 and counts it, so the sender can wait for every CPU.</summary>
        public const byte TlbFlushVector = 0xF3;

        /// <summary>Runs at the end of a wake interrupt, after the EOI, with interrupts off.</summary>
        public static delegate*<void> AfterWake;

        public static void Initialize()
        {
            TrapDispatcher.Register(PingVector, &OnPing);
            TrapDispatcher.Register(WakeVector, &OnWake);
            TrapDispatcher.Register(TlbFlushVector, &OnTlbFlush);
        }

        [PopulatedStack]
        private static void OnPing(TrapFrame* frame)
        {
            Interlocked.Increment(ref CpuLocal.Current->InterprocessorInterrupts);
            LocalApic.EndOfInterrupt();
        }

        [PopulatedStack]
        [RequiresInterruptsDisabled] // an interrupt gate clears IF on entry
        private static void OnWake(TrapFrame* frame)
        {
            LocalApic.EndOfInterrupt();
            if (AfterWake != null)
                AfterWake();
        }

        [PopulatedStack]
        private static void OnTlbFlush(TrapFrame* frame)
        {
            Memory.KernelPageTables.FlushAll();
            Interlocked.Increment(ref CpuLocal.Current->TlbFlushes);
            LocalApic.EndOfInterrupt();
        }

        /// <summary>
        /// Flushes this CPU's TLB and every other online CPU's, and returns once all have (after an
        /// unmap or a protection change that threads on other CPUs may have cached). Call with
        /// interrupts on and no spin lock held: another CPU may be waiting for this one the same way.
        /// </summary>
        public static void FlushTlbEverywhere()
        {
            int online = SecondaryCpus.OnlineCount;
            long* before = stackalloc long[online];
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            Memory.KernelPageTables.FlushAll();
            int self = CpuLocal.Current->Index;
            for (int index = 0; index < online; index++)
            {
                CpuLocal* target = SecondaryCpus.Cpu(index);
                if (index == self || target == null)
                    continue;
                before[index] = Volatile.Read(ref target->TlbFlushes);
                LocalApic.SendFixed(target->ApicId, TlbFlushVector);
            }
            Cpu.RestoreInterrupts(wereEnabled);
            for (int index = 0; index < online; index++)
            {
                CpuLocal* target = SecondaryCpus.Cpu(index);
                if (index == self || target == null)
                    continue;
                while (Volatile.Read(ref target->TlbFlushes) == before[index])
                    Cpu.Pause();
            }
        }

        /// <summary>Asks CPU <paramref name="index"/> to run its scheduler (it may be halted in its idle loop).</summary>
        [RequiresInterruptsDisabled] // the ICR is written in two halves: nothing on this CPU may interleave
        public static void SendWake(int index)
        {
            CpuLocal* target = SecondaryCpus.Cpu(index);
            if (target != null)
                LocalApic.SendFixed(target->ApicId, WakeVector);
        }

        /// <summary>Pings every other online CPU; returns how many answered within the timeout.</summary>
        public static int PingOthers(ulong timeoutNanoseconds)
        {
            int self = CpuLocal.Current->Index;
            int answered = 0;
            for (int index = 0; index < SecondaryCpus.OnlineCount; index++)
            {
                CpuLocal* target = SecondaryCpus.Cpu(index);
                if (index == self || target == null)
                    continue;
                long before = target->InterprocessorInterruptCount;
                Stack.PrefaultNextPageIfPreemptible();
                bool wereEnabled = Cpu.SaveAndDisableInterrupts();
                LocalApic.SendFixed(target->ApicId, PingVector);
                Cpu.RestoreInterrupts(wereEnabled);
                ulong deadline = TscClock.NanosecondsSinceBoot + timeoutNanoseconds;
                while (target->InterprocessorInterruptCount == before && TscClock.NanosecondsSinceBoot < deadline)
                    Cpu.Pause();
                if (target->InterprocessorInterruptCount != before)
                    answered++;
            }
            return answered;
        }
    }
}
