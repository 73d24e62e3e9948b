using Osv.Annotations;
using Osv.Arch.X64;

namespace Osv.Core.Threads
{
    /// <summary>A counting semaphore: <see cref="Wait"/> takes a unit or blocks (FIFO), <see cref="Release"/> gives one back.</summary>
    public sealed class KernelSemaphore
    {
        private int _count;
        private readonly WaitQueue _waiters = new WaitQueue();

        public KernelSemaphore(int initialCount) { _count = initialCount < 0 ? 0 : initialCount; }

        public int Count => _count;

        [MaySleep]
        public void Wait()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            if (_count > 0)
                _count--;
            else
                _waiters.BlockCurrent(); // Release hands its unit straight to the woken waiter
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public bool TryWait()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            bool taken = _count > 0;
            if (taken)
                _count--;
            Cpu.RestoreInterrupts(wereEnabled);
            return taken;
        }

        public void Release()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            if (_waiters.WakeOne() == null)
                _count++;
            Cpu.RestoreInterrupts(wereEnabled);
        }
    }
}
