using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Core.Threads
{
    /// <summary>A condition variable bound to a <see cref="KernelMutex"/> at each wait.</summary>
    public sealed class ConditionVariable
    {
        private SpinLock _lock;
        private readonly WaitQueue _waiters = new WaitQueue();

        /// <summary>Atomically releases <paramref name="mutex"/> and waits; holds it again on return.</summary>
        [MaySleep]
        public void Wait(KernelMutex mutex)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            // Queued before the mutex is released: a signal sent after that release finds this thread.
            mutex.UnlockWithInterruptsOff();
            _waiters.BlockCurrent(ref _lock);
            Osv.Arch.X64.Cpu.RestoreInterrupts(wereEnabled);
            mutex.Lock();
        }

        public void Signal()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            _waiters.WakeOne();
            _lock.Unlock(wereEnabled);
        }

        public void Broadcast()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            _waiters.WakeAll();
            _lock.Unlock(wereEnabled);
        }
    }
}
