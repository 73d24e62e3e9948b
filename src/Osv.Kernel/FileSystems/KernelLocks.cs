using Osv.Annotations;
using Osv.Core.Threads;
using Osv.Vfs.Pipes;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.FileSystems
{
    /// <summary>The VFS's sleeping lock (name space, each file system, descriptor tables): a kernel mutex.</summary>
    internal sealed class MutexVfsLock : IVfsLock
    {
        private readonly KernelMutex _mutex = new KernelMutex();

        [MaySleep]
        public void Acquire() => _mutex.Lock();

        public void Release() => _mutex.Unlock();
    }

    /// <summary>
    /// How a pipe blocks in the kernel: a mutex for its state and a condition variable its readers and
    /// writers sleep on (the condition variable is the scheduler's wait queue under a spin lock).
    /// </summary>
    internal sealed class KernelWaitPolicy : IWaitPolicy
    {
        private readonly KernelMutex _mutex = new KernelMutex();
        private readonly ConditionVariable _changed = new ConditionVariable();
        internal KernelWaitPolicy? NextFree;

        [MaySleep]
        public void Acquire() => _mutex.Lock();

        public void Release() => _mutex.Unlock();

        [MaySleep]
        public long Wait()
        {
            _changed.Wait(_mutex);
            return 0; // no signals yet: a wait ends only when the state changed
        }

        public void WakeAll() => _changed.Broadcast();
    }

    /// <summary>
    /// Hands out pipe wait policies. A destroyed one goes on a free list and is reused (its mutex and
    /// condition variable own objects the kernel could not free one by one), so memory stays bounded
    /// by the most pipes alive at once.
    /// </summary>
    internal sealed class KernelWaitPolicyFactory : IWaitPolicyFactory
    {
        private readonly KernelMutex _lock = new KernelMutex();
        private KernelWaitPolicy? _free;

        [MaySleep]
        public IWaitPolicy? Create()
        {
            _lock.Lock();
            KernelWaitPolicy? policy = _free;
            if (policy != null)
                _free = policy.NextFree;
            _lock.Unlock();
            return policy ?? new KernelWaitPolicy();
        }

        [MaySleep]
        public void Destroy(IWaitPolicy policy)
        {
            if (policy is not KernelWaitPolicy kernelPolicy)
                return;
            _lock.Lock();
            kernelPolicy.NextFree = _free;
            _free = kernelPolicy;
            _lock.Unlock();
        }
    }
}

namespace Osv.Kernel.FileSystems
{
    /// <summary>The one application's file state, reachable from system calls on any thread (set once at boot).</summary>
    internal static class KernelFiles
    {
        public static Osv.Vfs.Vfs.ProcessFiles? Process;
    }
}
