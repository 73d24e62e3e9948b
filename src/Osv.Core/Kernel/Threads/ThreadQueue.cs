namespace Osv.Core.Threads
{
    /// <summary>
    /// An intrusive FIFO of threads through <see cref="KernelThread.Next"/>: the run queue and every
    /// wait queue. A thread is in at most one queue at a time. Callers hold interrupts off.
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
    }
}
