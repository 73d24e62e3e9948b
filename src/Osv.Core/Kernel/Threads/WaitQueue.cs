using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Core.Threads
{
    /// <summary>
    /// A FIFO of blocked threads. It has no lock of its own: every use happens under the spin lock of
    /// the object it belongs to (a mutex, a semaphore...), the lock a waiter releases as it blocks.
    /// </summary>
    public sealed class WaitQueue
    {
        private readonly ThreadQueue _waiters = new ThreadQueue();

        public bool IsEmpty => _waiters.IsEmpty;

        /// <summary>
        /// Queues the running thread and blocks it, releasing <paramref name="objectLock"/> (held on entry)
        /// once it is marked blocked. Returns after <see cref="WakeOne"/> or <see cref="WakeAll"/>, with the
        /// lock free and interrupts still off.
        /// </summary>
        [RequiresInterruptsDisabled]
        public void BlockCurrent(ref SpinLock objectLock)
        {
            _waiters.Add(Scheduler.Current);
            Scheduler.BlockAndUnlock(ref objectLock);
        }

        /// <summary>Wakes the longest waiter; returns it, or null if none waits.</summary>
        [RequiresInterruptsDisabled]
        public KernelThread? WakeOne()
        {
            KernelThread? thread = _waiters.Take();
            if (thread != null)
                Scheduler.Wake(thread);
            return thread;
        }

        [RequiresInterruptsDisabled]
        public int WakeAll()
        {
            int woken = 0;
            while (WakeOne() != null)
                woken++;
            return woken;
        }
    }
}
