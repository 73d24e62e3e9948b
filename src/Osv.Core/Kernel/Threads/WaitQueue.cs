using Osv.Annotations;

namespace Osv.Core.Threads
{
    /// <summary>A FIFO of blocked threads. Callers hold interrupts off around every use.</summary>
    public sealed class WaitQueue
    {
        private KernelThread? _head;
        private KernelThread? _tail;

        public bool IsEmpty => _head == null;

        /// <summary>Queues the running thread and blocks it until <see cref="WakeOne"/> or <see cref="WakeAll"/>.</summary>
        [RequiresInterruptsDisabled]
        public void BlockCurrent()
        {
            KernelThread self = Scheduler.Current;
            self.Next = null;
            if (_tail == null)
                _head = self;
            else
                _tail.Next = self;
            _tail = self;
            Scheduler.Block();
        }

        /// <summary>Wakes the longest waiter; returns it, or null if none waits.</summary>
        [RequiresInterruptsDisabled]
        public KernelThread? WakeOne()
        {
            KernelThread? thread = _head;
            if (thread == null)
                return null;
            _head = thread.Next;
            if (_head == null)
                _tail = null;
            thread.Next = null;
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
