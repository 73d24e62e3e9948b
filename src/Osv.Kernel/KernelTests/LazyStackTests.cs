using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>`--test=stacks`: lazily mapped thread stacks grow on demand and cost only what they touch.</summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class LazyStackTests
    {
        public static void Run(ref CheckReport report)
        {
            report.Check("a lazy stack maps pages on first touch and gives them back", LazyStackGrows());
            report.Check("200 threads with 1 MiB lazy stacks cost far less than 200 MiB", ManyLazyStacks());
            report.Check("the run-time stack-rule check ran at every disable", Expect.True("checks counted", Osv.Arch.X64.LazyStackInvariant.Checks > 0));
        }

        // ---- lazy stacks ----

        private static long s_pagesAtDepth;
        private static long s_pagesAtStart;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static int Descend(int depth)
        {
            byte* frame = stackalloc byte[1024];
            frame[depth & 1023] = (byte)depth;
            if (depth == 40)
            {
                s_pagesAtDepth = Osv.Core.Memory.LazyStacks.MappedPages;
                return frame[0];
            }
            return Descend(depth + 1) + frame[(depth * 13) & 1023];
        }

        private static void DeepThread(void* argument)
        {
            s_pagesAtStart = Osv.Core.Memory.LazyStacks.MappedPages;
            Descend(0);
        }

        private static bool LazyStackGrows()
        {
            long before = Osv.Core.Memory.LazyStacks.MappedPages;
            s_pagesAtDepth = 0;
            KernelThread? thread = Scheduler.Create(&DeepThread, null, 1024 * 1024);
            if (thread == null)
                return false;
            Scheduler.Join(thread);
            // Only the top page is populated up front (the entry's first frames may touch a second);
            // 41 frames of over 1 KiB need at least 10 pages, but nowhere near the 256 of 1 MiB.
            return Expect.InRange("pages mapped when the thread starts", 1, 2, s_pagesAtStart - before)
                & Expect.InRange("pages mapped at depth 40", 10, 32, s_pagesAtDepth - before)
                & Expect.Equal("pages mapped after join", before, Osv.Core.Memory.LazyStacks.MappedPages);
        }

        private static KernelMutex s_gate = null!;
        private static ConditionVariable s_open = null!;
        private static bool s_released;
        private static int s_waiting;

        private static void WaitAtGate(void* argument)
        {
            s_gate.Lock();
            s_waiting++;
            while (!s_released)
                s_open.Wait(s_gate);
            s_gate.Unlock();
        }

        private static bool ManyLazyStacks()
        {
            const int Threads = 200;
            s_gate = new KernelMutex();
            s_open = new ConditionVariable();
            s_released = false;
            s_waiting = 0;
            ulong freeBefore = KernelMemory.FreeBytes;
            KernelThread?[] threads = new KernelThread?[Threads];
            for (int i = 0; i < Threads; i++)
            {
                threads[i] = Scheduler.Create(&WaitAtGate, null, 1024 * 1024);
                if (threads[i] == null)
                    return false;
            }
            while (System.Threading.Volatile.Read(ref s_waiting) < Threads)
                Scheduler.Yield();
            ulong used = freeBefore - KernelMemory.FreeBytes;

            s_gate.Lock();
            s_released = true;
            s_open.Broadcast();
            s_gate.Unlock();
            foreach (KernelThread? thread in threads)
                Scheduler.Join(thread!);
            Osv.Runtime.ObjectMemory.Free(threads);

            KernelConsole.Write("test stacks: 200 blocked threads with 1 MiB lazy stacks use ");
            KernelConsole.WriteDecimal(used / 1024);
            KernelConsole.WriteLine(" KiB");
            return used < 16UL * 1024 * 1024;
        }
    }
}
