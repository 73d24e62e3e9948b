using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Kernel.Benchmarks
{
    /// <summary>
    /// `--bench=threads`: thread create+join, a context switch between two threads on one CPU, a
    /// wake-up hand-off between two CPUs, uncontended and contended mutex. Each line:
    /// `bench threads: <name>: <ns> ns/op (<ops> ops)`, timed by the TSC.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class ThreadBenchmarks
    {
        private const int CreateJoinOps = 2000;
        private const int SwitchRounds = 20000;
        private const int MutexOps = 200000;
        private const int ContendedOps = 20000;
        private const int HandOffRounds = 5000;

        public static void Run()
        {
            Report("create+join", CreateJoin(), CreateJoinOps);
            Report("context switch (same CPU)", ContextSwitches(), SwitchRounds * 2);
            if (Scheduler.CpuCount > 1)
                Report("wake-up hand-off (different CPUs)", CrossCpuHandOffs(), HandOffRounds * 2);
            else
                KernelConsole.WriteLine("bench threads: wake-up hand-off (different CPUs): skipped, one CPU");
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
            return KernelTests.ThreadGroup.RunAndJoin(&Yielder, 2, pinnedCpu: 0) ? TscClock.NanosecondsSinceBoot - start : 0;
        }

        private static KernelSemaphore s_ping = null!;
        private static KernelSemaphore s_pong = null!;

        private static void Pinger(void* argument)
        {
            for (int i = 0; i < HandOffRounds; i++)
            {
                s_ping.Release();
                s_pong.Wait();
            }
        }

        private static void Ponger(void* argument)
        {
            for (int i = 0; i < HandOffRounds; i++)
            {
                s_ping.Wait();
                s_pong.Release();
            }
        }

        /// <summary>Two threads on CPUs 0 and 1 wake each other in turn: each op is one cross-CPU wake-up until the woken thread runs.</summary>
        private static ulong CrossCpuHandOffs()
        {
            s_ping = new KernelSemaphore(0);
            s_pong = new KernelSemaphore(0);
            ulong start = TscClock.NanosecondsSinceBoot;
            KernelThread? pinger = Scheduler.Create(&Pinger, null, 0, 0);
            KernelThread? ponger = Scheduler.Create(&Ponger, null, 0, 1);
            if (pinger != null)
                Scheduler.Join(pinger);
            if (ponger != null)
                Scheduler.Join(ponger);
            ulong elapsed = TscClock.NanosecondsSinceBoot - start;
            Osv.Runtime.ObjectMemory.Free(s_ping);
            Osv.Runtime.ObjectMemory.Free(s_pong);
            return pinger != null && ponger != null ? elapsed : 0;
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
            return KernelTests.ThreadGroup.RunAndJoin(&Contender, 2, pinnedCpu: 0) ? TscClock.NanosecondsSinceBoot - start : 0;
        }
    }
}
