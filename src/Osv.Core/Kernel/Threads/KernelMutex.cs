using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64;

namespace Osv.Core.Threads
{
    /// <summary>
    /// A sleeping mutex. Uncontended lock and unlock are one atomic instruction each; contention
    /// queues the thread (FIFO) and hands the mutex directly to the next waiter on unlock, so a
    /// waiter cannot be overtaken forever.
    /// </summary>
    public sealed class KernelMutex
    {
        private const int Free = 0;
        private const int Locked = 1;
        private const int Contended = 2;

        private int _state;
        private KernelThread? _owner;
        private readonly WaitQueue _waiters = new WaitQueue();

        public KernelThread? Owner => _owner;

        [MaySleep]
        public void Lock()
        {
            if (Interlocked.CompareExchange(ref _state, Locked, Free) == Free)
            {
                _owner = Scheduler.Current;
                return;
            }
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            LockSlow();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public bool TryLock()
        {
            if (Interlocked.CompareExchange(ref _state, Locked, Free) != Free)
                return false;
            _owner = Scheduler.Current;
            return true;
        }

        public void Unlock()
        {
            _owner = null;
            if (Interlocked.CompareExchange(ref _state, Free, Locked) == Locked)
                return;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            UnlockSlow();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        /// <summary>Takes the mutex, blocking if needed (the condition variable calls it with interrupts off).</summary>
        [RequiresInterruptsDisabled]
        internal void LockSlow()
        {
            // One CPU, interrupts off: nothing else runs until this thread blocks.
            if (Interlocked.CompareExchange(ref _state, Locked, Free) == Free)
            {
                _owner = Scheduler.Current;
                return;
            }
            Volatile.Write(ref _state, Contended);
            _waiters.BlockCurrent(); // woken as the owner: Unlock hands the mutex over
        }

        [RequiresInterruptsDisabled]
        internal void UnlockSlow()
        {
            _owner = null;
            KernelThread? next = _waiters.WakeOne();
            if (next == null)
            {
                Volatile.Write(ref _state, Free);
                return;
            }
            _owner = next;
            Volatile.Write(ref _state, _waiters.IsEmpty ? Locked : Contended);
        }
    }
}
