using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Kernel.Benchmarks
{
    /// <summary>
    /// `--bench=threads`: thread create+join, a context switch between two threads, uncontended and
    /// contended mutex. Each line: `bench threads: <name>: <ns> ns/op (<ops> ops)`, timed by the TSC.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class ThreadBenchmarks
    {
        private const int CreateJoinOps = 2000;
        private const int SwitchRounds = 20000;
        private const int MutexOps = 200000;
        private const int ContendedOps = 20000;

        public static void Run()
        {
            Report("create+join", CreateJoin(), CreateJoinOps);
            Report("context switch (same CPU)", ContextSwitches(), SwitchRounds * 2);
            Report("mutex lock+unlock, uncontended", Uncontended(), MutexOps);
            Report("mutex lock+unlock, two threads contending", Contended(), ContendedOps * 2);
        }

        private static void Report(string name, ulong nanoseconds, int operations)
        {
            KernelConsole.Write("bench threads: ");
            KernelConsole.Write(name);
            KernelConsole.Write(": ");
            KernelConsole.WriteDecimal(nanoseconds / (ulong)operations);
            KernelConsole.Write(" ns/op (");
            KernelConsole.WriteDecimal((ulong)operations);
            KernelConsole.WriteLine(" ops)");
        }

        private static void Nothing(void* argument) { }

        private static ulong CreateJoin()
        {
            ulong start = TscClock.NanosecondsSinceBoot;
            for (int i = 0; i < CreateJoinOps; i++)
            {
                KernelThread? thread = Scheduler.Create(&Nothing, null);
                if (thread == null)
                    return 0;
                Scheduler.Join(thread);
            }
            return TscClock.NanosecondsSinceBoot - start;
        }

        private static void Yielder(void* argument)
        {
            for (int i = 0; i < SwitchRounds; i++)
                Scheduler.Yield();
        }

        private static ulong ContextSwitches()
        {
            ulong start = TscClock.NanosecondsSinceBoot;
            return KernelTests.ThreadGroup.RunAndJoin(&Yielder, 2) ? TscClock.NanosecondsSinceBoot - start : 0;
        }

        private static ulong Uncontended()
        {
            KernelMutex mutex = new KernelMutex();
            ulong start = TscClock.NanosecondsSinceBoot;
            for (int i = 0; i < MutexOps; i++)
            {
                mutex.Lock();
                mutex.Unlock();
            }
            ulong elapsed = TscClock.NanosecondsSinceBoot - start;
            Osv.Runtime.ObjectMemory.Free(mutex);
            return elapsed;
        }

        private static KernelMutex s_shared = null!;

        private static void Contender(void* argument)
        {
            for (int i = 0; i < ContendedOps; i++)
            {
                s_shared.Lock();
                Scheduler.Yield(); // give the other thread the chance to find it held
                s_shared.Unlock();
            }
        }

        private static ulong Contended()
        {
            s_shared = new KernelMutex();
            ulong start = TscClock.NanosecondsSinceBoot;
            return KernelTests.ThreadGroup.RunAndJoin(&Contender, 2) ? TscClock.NanosecondsSinceBoot - start : 0;
        }
    }
}
