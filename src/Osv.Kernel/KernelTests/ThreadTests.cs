using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=threads`: kernel threads and the scheduler, in the real kernel.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class ThreadTests
    {
        private static int s_baselineThreads;

        public static void Run(ref CheckReport report)
        {
            s_baselineThreads = Scheduler.LiveThreads;
            report.Check("a thousand threads created and joined, nothing leaked", ManyThreads());
            report.Check("four thousand threads alive at once, then joined", ThousandsAlive());
            report.Check("pinning: a thread moves to every CPU in turn and runs there", PinningMigrates());
            report.Check("load balancing: busy threads spread over every CPU", BusyThreadsSpread());
            report.Check("wake-ups across CPUs: a thousand semaphore hand-offs", CrossCpuWakeUps());
            report.Check("each thread keeps its own %fs block across switches and migrations", ThreadPointersFollowThreads());
            report.Check("sleep lasts at least as long as asked", SleepDuration());
            report.Check("a sleeping thread gives the CPU away", SleepingGivesWay());
            report.Check("preemption: two threads that never yield both run", Preemption());
            report.Check("detached threads free themselves", Detached());
        }

        // ---- many threads ----

        private static int s_counter;

        private static void Increment(void* argument) => System.Threading.Interlocked.Add(ref s_counter, (int)(nint)argument);

        private static bool ManyThreads()
        {
            const int Batch = 50;
            KernelThread?[] threads = new KernelThread?[Batch];
            ulong pagesBefore = 0;
            ulong blocksBefore = 0;
            s_counter = 0;
            int expected = 0;
            for (int round = 0; round < 21; round++)
            {
                // Round 0 warms up: the first stacks split 2 MiB mappings, and those page tables stay.
                if (round == 1)
                {
                    pagesBefore = KernelMemory.FreeBytes;
                    blocksBefore = KernelMemory.LiveAllocations;
                }
                for (int i = 0; i < Batch; i++)
                {
                    threads[i] = Scheduler.Create(&Increment, (void*)(nint)(i + 1));
                    if (threads[i] == null)
                        return false;
                    expected += i + 1;
                }
                for (int i = 0; i < Batch; i++)
                    Scheduler.Join(threads[i]!);
            }
            long freeAfter = (long)KernelMemory.FreeBytes;
            long blocksAfter = (long)KernelMemory.LiveAllocations;
            Osv.Runtime.ObjectMemory.Free(threads);
            return Expect.Equal("sum of thread arguments", expected, System.Threading.Volatile.Read(ref s_counter))
                & Expect.Equal("live threads", s_baselineThreads, Scheduler.LiveThreads)
                & Expect.Equal("free bytes", (long)pagesBefore, freeAfter)
                & Expect.Equal("heap blocks", (long)blocksBefore, blocksAfter);
        }

        // ---- thousands alive ----

        private static int s_started;
        private static int s_release;

        private static void WaitForRelease(void* argument)
        {
            Interlocked.Increment(ref s_started);
            while (Volatile.Read(ref s_release) == 0)
                Scheduler.Sleep(2000000);
        }

        private static bool ThousandsAlive()
        {
            const int Count = 4000;
            s_started = 0;
            s_release = 0;
            KernelThread?[] threads = new KernelThread?[Count];
            int created = 0;
            for (int i = 0; i < Count; i++)
            {
                threads[i] = Scheduler.Create(&WaitForRelease, null);
                if (threads[i] != null)
                    created++;
            }
            int liveAtPeak = Scheduler.LiveThreads;
            ulong deadline = TscClock.NanosecondsSinceBoot + 20000000000UL;
            while (Volatile.Read(ref s_started) < created && TscClock.NanosecondsSinceBoot < deadline)
                Scheduler.Sleep(1000000);
            int started = Volatile.Read(ref s_started);
            Volatile.Write(ref s_release, 1);
            foreach (KernelThread? thread in threads)
            {
                if (thread != null)
                    Scheduler.Join(thread);
            }
            Osv.Runtime.ObjectMemory.Free(threads);
            return Expect.Equal("threads created", Count, created)
                & Expect.Equal("threads that ran", Count, started)
                & Expect.Equal("live threads at the peak", s_baselineThreads + Count, liveAtPeak)
                & Expect.Equal("live threads after", s_baselineThreads, Scheduler.LiveThreads);
        }

        // ---- pinning and migration ----

        private static int s_visitedWrongCpu;
        private static long s_visitedMask;

        private static void Traveller(void* argument)
        {
            for (int round = 0; round < 3; round++)
            {
                for (int cpu = 0; cpu < Scheduler.CpuCount; cpu++)
                {
                    if (!Scheduler.PinCurrent(cpu))
                        Interlocked.Increment(ref s_visitedWrongCpu);
                    for (int i = 0; i < 5; i++)
                    {
                        Scheduler.Yield(); // still here after giving way: the pin holds
                        if (Scheduler.CurrentCpu != cpu)
                            Interlocked.Increment(ref s_visitedWrongCpu);
                    }
                    Interlocked.Or(ref s_visitedMask, 1L << Scheduler.CurrentCpu);
                }
            }
            Scheduler.PinCurrent(-1);
        }

        private static bool PinningMigrates()
        {
            s_visitedWrongCpu = 0;
            s_visitedMask = 0;
            KernelThread? thread = Scheduler.Create(&Traveller, null);
            if (thread == null)
                return false;
            Scheduler.Join(thread);
            long everyCpu = Scheduler.CpuCount == 64 ? -1L : (1L << Scheduler.CpuCount) - 1;
            return Expect.Equal("checks on the wrong CPU", 0, s_visitedWrongCpu)
                & Expect.Equal("CPUs visited (bit mask)", everyCpu, s_visitedMask)
                & Expect.True("an unknown CPU is refused", !Scheduler.PinCurrent(Scheduler.CpuCount));
        }

        // ---- load balancing ----

        private static long s_ranOnMask;
        private static int s_spinnersDone;

        private static void BusySpinner(void* argument)
        {
            // Busy for 60 ms of wall time, noting every CPU it runs on; it never blocks, so only the
            // scheduler's placement, stealing and preemption decide where it runs.
            ulong until = TscClock.NanosecondsSinceBoot + 60000000;
            while (TscClock.NanosecondsSinceBoot < until)
                Interlocked.Or(ref s_ranOnMask, 1L << Scheduler.CurrentCpu);
            Interlocked.Increment(ref s_spinnersDone);
        }

        private static bool BusyThreadsSpread()
        {
            int cpus = Scheduler.CpuCount;
            s_ranOnMask = 0;
            s_spinnersDone = 0;
            bool created = ThreadGroup.RunAndJoin(&BusySpinner, 2 * cpus);
            long everyCpu = cpus == 64 ? -1L : (1L << cpus) - 1;
            return Expect.True("spinners created", created)
                & Expect.Equal("spinners finished", 2 * cpus, s_spinnersDone)
                & Expect.Equal("CPUs that ran a spinner (bit mask)", everyCpu, s_ranOnMask);
        }

        // ---- cross-CPU wake-ups ----

        private static KernelSemaphore s_ball = null!;
        private static KernelSemaphore s_return = null!;
        private static int s_handOffs;

        private static void Server(void* argument)
        {
            for (int i = 0; i < 1000; i++)
            {
                s_ball.Wait();
                s_handOffs++;
                s_return.Release();
            }
        }

        private static bool CrossCpuWakeUps()
        {
            s_ball = new KernelSemaphore(0);
            s_return = new KernelSemaphore(0);
            s_handOffs = 0;
            // The server on the last CPU, this thread (pinned to CPU 0) serving it: every wake crosses CPUs when there are two.
            KernelThread? server = Scheduler.Create(&Server, null, 0, Scheduler.CpuCount - 1);
            if (server == null)
                return false;
            for (int i = 0; i < 1000; i++)
            {
                s_ball.Release();
                s_return.Wait();
            }
            Scheduler.Join(server);
            bool ok = Expect.Equal("hand-offs", 1000, s_handOffs)
                & Expect.Equal("units left", 0, s_ball.Count + s_return.Count);
            Osv.Runtime.ObjectMemory.Free(s_ball);
            Osv.Runtime.ObjectMemory.Free(s_return);
            return ok;
        }

        // ---- per-thread %fs ----

        private static int s_wrongThreadPointer;

        private static void OwnThreadPointer(void* argument)
        {
            ulong* block = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(64);
            block[0] = (ulong)block; // %fs:0 is the block's self pointer, as TLS variant II wants
            block[5] = 0x5EED0000UL + (ulong)(nint)argument; // %fs:0x28, the canary slot
            Scheduler.SetThreadPointer((ulong)block);
            int cpus = Scheduler.CpuCount;
            for (int i = 0; i < 40; i++)
            {
                if (i % 4 == 0)
                    Scheduler.PinCurrent((i / 4 + (int)(nint)argument) % cpus);
                Scheduler.Yield();
                if (Osv.Arch.X64.Cpu.ReadMsr(Osv.Arch.X64.Cpu.MsrFsBase) != (ulong)block || block[0] != (ulong)block)
                    Interlocked.Increment(ref s_wrongThreadPointer);
            }
            Scheduler.PinCurrent(-1);
            Scheduler.SetThreadPointer(0);
            System.Runtime.InteropServices.NativeMemory.Free(block);
        }

        private static bool ThreadPointersFollowThreads()
        {
            s_wrongThreadPointer = 0;
            ulong kernelBlock = Osv.Arch.X64.Cpu.ReadMsr(Osv.Arch.X64.Cpu.MsrFsBase);
            bool created = ThreadGroup.RunAndJoin(&OwnThreadPointer, 4);
            return Expect.True("threads created", created)
                & Expect.Equal("checks that found another %fs", 0, s_wrongThreadPointer)
                & Expect.True("the boot thread still has its CPU's block", Osv.Arch.X64.Cpu.ReadMsr(Osv.Arch.X64.Cpu.MsrFsBase) == kernelBlock);
        }

        // ---- sleep ----

        private static ulong s_slept;

        private static void Sleeper(void* argument)
        {
            ulong start = TscClock.NanosecondsSinceBoot;
            Scheduler.Sleep(2000000);
            s_slept = TscClock.NanosecondsSinceBoot - start;
        }

        private static bool SleepDuration()
        {
            s_slept = 0;
            KernelThread? sleeper = Scheduler.Create(&Sleeper, null);
            if (sleeper == null)
                return false;
            Scheduler.Join(sleeper);
            return s_slept >= 2000000 && s_slept < 5000000000UL; // the upper bound only catches "never woke"
        }

        private static long s_ranWhileAsleep;
        private static bool s_stopRunner;

        private static void Runner(void* argument)
        {
            while (!System.Threading.Volatile.Read(ref s_stopRunner))
            {
                System.Threading.Interlocked.Increment(ref s_ranWhileAsleep);
                Scheduler.Yield();
            }
        }

        private static bool SleepingGivesWay()
        {
            s_ranWhileAsleep = 0;
            s_stopRunner = false;
            // On this CPU only: it can run just when the boot thread (pinned to CPU 0) gives way.
            KernelThread? runner = Scheduler.Create(&Runner, null, 0, pinnedCpu: 0);
            if (runner == null)
                return false;
            Scheduler.Yield(); // let it start
            long before = System.Threading.Volatile.Read(ref s_ranWhileAsleep);
            ulong start = TscClock.NanosecondsSinceBoot;
            Scheduler.Sleep(5000000); // the boot thread blocks on its own timer
            long during = System.Threading.Volatile.Read(ref s_ranWhileAsleep) - before;
            bool sleptLongEnough = TscClock.NanosecondsSinceBoot - start >= 5000000;
            System.Threading.Volatile.Write(ref s_stopRunner, true);
            Scheduler.Join(runner);
            return during > 0 && sleptLongEnough;
        }

        // ---- preemption ----

        private static long s_spinA;
        private static long s_spinB;
        private static ulong s_spinGiveUp;
        private static int s_timedOut;

        private static void Spinner(void* argument)
        {
            bool isA = argument == null;
            ref long mine = ref isA ? ref s_spinA : ref s_spinB;
            ref long other = ref isA ? ref s_spinB : ref s_spinA;
            // Never yields: spins until the other spinner has run, which only preemption allows
            // while this one is still spinning. Host load cannot fake it: a late tick only delays it.
            while (System.Threading.Volatile.Read(ref other) == 0)
            {
                System.Threading.Interlocked.Increment(ref mine);
                if (TscClock.NanosecondsSinceBoot > s_spinGiveUp)
                {
                    System.Threading.Interlocked.Increment(ref s_timedOut);
                    return;
                }
            }
            System.Threading.Interlocked.Increment(ref mine);
        }

        private static bool Preemption()
        {
            s_spinA = 0;
            s_spinB = 0;
            s_timedOut = 0;
            s_spinGiveUp = TscClock.NanosecondsSinceBoot + 5000000000UL; // 5 s: only a broken scheduler gets here
            // Both on one CPU, so only preemption lets the second run while the first spins.
            KernelThread? a = Scheduler.Create(&Spinner, null, 0, pinnedCpu: 0);
            KernelThread? b = Scheduler.Create(&Spinner, (void*)1, 0, pinnedCpu: 0);
            if (a != null)
                Scheduler.Join(a);
            if (b != null)
                Scheduler.Join(b);
            return Expect.True("both spinners created", a != null && b != null)
                & Expect.Equal("spinners that gave up", 0, s_timedOut)
                & Expect.True("both spinners ran", s_spinA > 0 && s_spinB > 0);
        }

        // ---- detached ----

        private static int s_detachedRan;

        private static void DetachedWorker(void* argument) => System.Threading.Interlocked.Increment(ref s_detachedRan);

        private static bool Detached()
        {
            ulong pagesBefore = KernelMemory.FreeBytes;
            s_detachedRan = 0;
            for (int i = 0; i < 20; i++)
            {
                KernelThread? thread = Scheduler.Create(&DetachedWorker, null);
                if (thread == null)
                    return false;
                Scheduler.Detach(thread);
            }
            // Let them run and exit; the next context switch reaps them.
            ulong deadline = TscClock.NanosecondsSinceBoot + 200000000;
            while ((s_detachedRan < 20 || Scheduler.LiveThreads > s_baselineThreads) && TscClock.NanosecondsSinceBoot < deadline)
                Scheduler.Yield();
            Scheduler.Reap(); // the last zombies, if no thread creation or idle CPU got to them yet
            return Expect.Equal("detached threads that ran", 20, s_detachedRan)
                & Expect.Equal("live threads", s_baselineThreads, Scheduler.LiveThreads)
                & Expect.Equal("free bytes", (long)pagesBefore, (long)KernelMemory.FreeBytes);
        }
    }
}
