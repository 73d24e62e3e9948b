using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Core.Threads
{
    /// <summary>A counting semaphore: <see cref="Wait"/> takes a unit or blocks (FIFO), <see cref="Release"/> gives one back.</summary>
    public sealed class KernelSemaphore
    {
        private int _count;
        private SpinLock _lock;
        private readonly WaitQueue _waiters = new WaitQueue();

        public KernelSemaphore(int initialCount) { _count = initialCount < 0 ? 0 : initialCount; }

        public int Count => System.Threading.Volatile.Read(ref _count);

        [MaySleep]
        public void Wait()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            if (_count > 0)
            {
                _count--;
                _lock.UnlockWithInterruptsOff();
            }
            else
            {
                _waiters.BlockCurrent(ref _lock); // Release hands its unit straight to the woken waiter
            }
            Osv.Arch.X64.Cpu.RestoreInterrupts(wereEnabled);
        }

        public bool TryWait()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            bool taken = _count > 0;
            if (taken)
                _count--;
            _lock.Unlock(wereEnabled);
            return taken;
        }

        public void Release()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            if (_waiters.WakeOne() == null)
                _count++;
            _lock.Unlock(wereEnabled);
        }
    }
}
