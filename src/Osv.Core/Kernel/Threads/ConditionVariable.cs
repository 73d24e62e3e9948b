using Osv.Annotations;
using Osv.Arch.X64;

namespace Osv.Core.Threads
{
    /// <summary>A condition variable bound to a <see cref="KernelMutex"/> at each wait.</summary>
    public sealed class ConditionVariable
    {
        private readonly WaitQueue _waiters = new WaitQueue();

        /// <summary>Atomically releases <paramref name="mutex"/> and waits; holds it again on return.</summary>
        [MaySleep]
        public void Wait(KernelMutex mutex)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            mutex.UnlockSlow();
            _waiters.BlockCurrent();
            mutex.LockSlow();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public void Signal()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            _waiters.WakeOne();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public void Broadcast()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            _waiters.WakeAll();
            Cpu.RestoreInterrupts(wereEnabled);
        }
    }
}
