using Osv.Annotations;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>Starts a group of threads (each gets its index as argument) and joins them all.</summary>
    [KernelThreadOnly] // the in-kernel tests and benchmarks run from the boot thread
    internal static unsafe class ThreadGroup
    {
        /// <summary>
        /// Runs <paramref name="firstCount"/> threads of <paramref name="first"/> and then
        /// <paramref name="secondCount"/> of <paramref name="second"/> side by side (all on CPU <paramref name="pinnedCpu"/>
        /// unless it is -1); false if one could not be created.
        /// </summary>
        public static bool RunAndJoin(delegate*<void*, void> first, int firstCount, delegate*<void*, void> second = null, int secondCount = 0, int pinnedCpu = -1)
        {
            KernelThread?[] threads = new KernelThread?[firstCount + secondCount];
            bool created = true;
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i] = i < firstCount
                    ? Scheduler.Create(first, (void*)(nint)i, 0, pinnedCpu)
                    : Scheduler.Create(second, (void*)(nint)(i - firstCount), 0, pinnedCpu);
                created &= threads[i] != null;
            }
            foreach (KernelThread? thread in threads)
            {
                if (thread != null)
                    Scheduler.Join(thread);
            }
            Osv.Runtime.ObjectMemory.Free(threads);
            return created;
        }
    }
}
