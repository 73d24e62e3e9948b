using Osv.Annotations;

namespace Osv.Core.Threads
{
    /// <summary>A FIFO of blocked threads. Callers hold interrupts off around every use.</summary>
    public sealed class WaitQueue
    {
        private readonly ThreadQueue _waiters = new ThreadQueue();

        public bool IsEmpty => _waiters.IsEmpty;

        /// <summary>Queues the running thread and blocks it until <see cref="WakeOne"/> or <see cref="WakeAll"/>.</summary>
        [RequiresInterruptsDisabled]
        public void BlockCurrent()
        {
            _waiters.Add(Scheduler.Current);
            Scheduler.Block();
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
