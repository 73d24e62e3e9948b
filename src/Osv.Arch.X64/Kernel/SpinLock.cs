using System.Threading;
using Osv.Annotations;

namespace Osv.Arch.X64.Smp
{
    /// <summary>
    /// A busy-waiting lock for the few places CPUs share without sleeping: run queues, wait-queue
    /// heads, the page and heap allocators, page tables. Holding it keeps interrupts off on this CPU,
    /// so its holder is never preempted and an interrupt handler on the same CPU cannot deadlock on
    /// it. Not recursive. Test-and-test-and-set: waiters spin on a plain read, not on the bus lock.
    /// </summary>
    public struct SpinLock
    {
        private int _held;

        public bool IsHeld => Volatile.Read(ref _held) != 0;

        /// <summary>Disables interrupts, then takes the lock; returns whether interrupts were on, for <see cref="Unlock"/>.</summary>
        [DisablesInterrupts]
        public bool Lock()
        {
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            LockWithInterruptsOff();
            return wereEnabled;
        }

        /// <summary>Releases the lock, then restores the interrupt state <see cref="Lock"/> saw.</summary>
        [EnablesInterrupts]
        public void Unlock(bool wereEnabled)
        {
            UnlockWithInterruptsOff();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        [RequiresInterruptsDisabled]
        public void LockWithInterruptsOff()
        {
            while (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
            {
                while (Volatile.Read(ref _held) != 0)
                    Cpu.Pause();
            }
        }

        /// <summary>Takes the lock only if it is free (never spins): for the second of two locks, to avoid lock-order deadlocks.</summary>
        [RequiresInterruptsDisabled]
        public bool TryLockWithInterruptsOff() => Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0;

        [RequiresInterruptsDisabled]
        public void UnlockWithInterruptsOff() => Volatile.Write(ref _held, 0);
    }
}
