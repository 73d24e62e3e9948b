using Osv.Core.Threads;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// The id lock owners are recorded with: the kernel thread id + 1 (the boot thread is id 0, and 0
    /// means "no owner" in the lock words).
    /// </summary>
    internal static class ThreadIdentity
    {
        public static int Current => Scheduler.CurrentId + 1;
    }
}
