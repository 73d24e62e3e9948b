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

        public static void Initialize() => TrapDispatcher.Register(PingVector, &OnPing);

        [PopulatedStack]
        private static void OnPing(TrapFrame* frame)
        {
            Interlocked.Increment(ref CpuLocal.Current->InterprocessorInterrupts);
            LocalApic.EndOfInterrupt();
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
                LocalApic.SendFixed(target->ApicId, PingVector);
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
