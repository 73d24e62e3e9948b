using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Core.Threads
{
    /// <summary>
    /// A sleeping mutex. Uncontended lock and unlock are one atomic instruction each; contention
    /// queues the thread (FIFO) and hands the mutex directly to the next waiter on unlock, so a
    /// waiter cannot be overtaken forever. The state word follows the classic three-state futex
    /// mutex: free, locked, locked with (possible) waiters.
    /// </summary>
    public sealed class KernelMutex
    {
        private const int Free = 0;
        private const int Locked = 1;
        private const int Contended = 2;

        private int _state;
        private KernelThread? _owner;
        private SpinLock _lock; // guards the waiters and the hand-over
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
            bool wereEnabled = _lock.Lock();
            LockContended();
            Osv.Arch.X64.Cpu.RestoreInterrupts(wereEnabled);
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
            bool wereEnabled = _lock.Lock();
            UnlockContended();
            _lock.Unlock(wereEnabled);
        }

        /// <summary>Entered with the lock held; returns owning the mutex, the lock released (interrupts still off).</summary>
        [RequiresInterruptsDisabled]
        private void LockContended()
        {
            // Marking the word contended and learning whether it was free is one step: an unlock in
            // between would otherwise see "locked", release it, and leave this thread asleep.
            if (Interlocked.Exchange(ref _state, Contended) == Free)
            {
                _owner = Scheduler.Current;
                _lock.UnlockWithInterruptsOff();
                return;
            }
            _waiters.BlockCurrent(ref _lock); // woken as the owner: the unlock hands the mutex over
        }

        /// <summary>Releases the mutex on its slow path (the condition variable calls it with interrupts off).</summary>
        [RequiresInterruptsDisabled]
        internal void UnlockWithInterruptsOff()
        {
            _owner = null;
            if (Interlocked.CompareExchange(ref _state, Free, Locked) == Locked)
                return;
            _lock.LockWithInterruptsOff();
            UnlockContended();
            _lock.UnlockWithInterruptsOff();
        }

        [RequiresInterruptsDisabled]
        private void UnlockContended()
        {
            KernelThread? next = _waiters.WakeOne();
            if (next == null)
            {
                Volatile.Write(ref _state, Free);
                return;
            }
            _owner = next; // the state stays "contended": the new owner's unlock takes this path and looks
        }
    }
}
