namespace Osv.Core.Threads
{
    /// <summary>
    /// An intrusive FIFO of threads through <see cref="KernelThread.Next"/>: the run queues and every
    /// wait queue. A thread is in at most one queue at a time. Callers hold the queue's lock.
    /// </summary>
    public sealed class ThreadQueue
    {
        private KernelThread? _head;
        private KernelThread? _tail;

        public bool IsEmpty => _head == null;

        public void Add(KernelThread thread)
        {
            thread.Next = null;
            if (_tail == null)
                _head = thread;
            else
                _tail.Next = thread;
            _tail = thread;
        }

        /// <summary>The longest-queued thread, or null.</summary>
        public KernelThread? Take()
        {
            KernelThread? thread = _head;
            if (thread == null)
                return null;
            _head = thread.Next;
            if (_head == null)
                _tail = null;
            thread.Next = null;
            return thread;
        }

        /// <summary>The longest-queued thread not pinned to a CPU (the load balancer's pick), or null.</summary>
        public KernelThread? TakeUnpinned()
        {
            KernelThread? previous = null;
            for (KernelThread? thread = _head; thread != null; previous = thread, thread = thread.Next)
            {
                if (thread.PinnedCpu >= 0)
                    continue;
                Unlink(previous, thread);
                return thread;
            }
            return null;
        }

        private void Unlink(KernelThread? previous, KernelThread thread)
        {
            if (previous == null)
                _head = thread.Next;
            else
                previous.Next = thread.Next;
            if (_tail == thread)
                _tail = previous;
            thread.Next = null;
        }
    }
}
