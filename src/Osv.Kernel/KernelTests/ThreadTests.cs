using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=threads`: kernel threads, the scheduler and synchronization, in the real kernel.
    /// Each test prints one line; the suite ends with `tests: N passed, N failed`.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class ThreadTests
    {
        private static int s_baselineThreads;

        public static int Run()
        {
            s_baselineThreads = Scheduler.LiveThreads;
            CheckReport report = new CheckReport("test threads: ", "tests: ", " passed, ");
            report.Check("a thousand threads created and joined, nothing leaked", ManyThreads());
            report.Check("mutex: eight threads, a thousand critical sections each, never two inside", MutexExclusion());
            report.Check("condition variable: a thousand ping-pong rounds", PingPong());
            report.Check("semaphore: at most three of eight threads inside at once", SemaphoreLimit());
            report.Check("reader-writer lock: readers share, a writer is alone", ReadersAndWriters());
            report.Check("sleep lasts at least as long as asked", SleepDuration());
            report.Check("a sleeping thread gives the CPU away", SleepingGivesWay());
            report.Check("preemption: two threads that never yield both run", Preemption());
            report.Check("detached threads free themselves", Detached());
            report.Check("a lazy stack maps pages on first touch and gives them back", LazyStackGrows());
            report.Check("200 threads with 1 MiB lazy stacks cost far less than 200 MiB", ManyLazyStacks());
            return report.Finish();
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

        // ---- mutex ----

        private static KernelMutex s_mutex = null!;
        private static int s_inside;
        private static int s_violations;
        private static int s_total;

        private static void MutexWorker(void* argument)
        {
            for (int i = 0; i < 1000; i++)
            {
                s_mutex.Lock();
                if (++s_inside != 1)
                    s_violations++;
                s_total++;
                if ((i & 7) == 0)
                    Scheduler.Yield(); // hold the mutex across a switch: others must queue
                s_inside--;
                s_mutex.Unlock();
            }
        }

        private static bool MutexExclusion()
        {
            s_mutex = new KernelMutex();
            s_inside = 0;
            s_violations = 0;
            s_total = 0;
            return ThreadGroup.RunAndJoin(&MutexWorker, 8)
                && s_violations == 0 && s_total == 8000 && s_mutex.Owner == null;
        }

        // ---- condition variable ----

        private static ConditionVariable s_turnChanged = null!;
        private static int s_turn;
        private static int s_rounds;

        private static void Player(void* argument)
        {
            int me = (int)(nint)argument;
            for (int i = 0; i < 1000; i++)
            {
                s_mutex.Lock();
                while (s_turn != me)
                    s_turnChanged.Wait(s_mutex);
                s_rounds++;
                s_turn = 1 - me;
                s_turnChanged.Broadcast();
                s_mutex.Unlock();
            }
        }

        private static bool PingPong()
        {
            s_mutex = new KernelMutex();
            s_turnChanged = new ConditionVariable();
            s_turn = 0;
            s_rounds = 0;
            return ThreadGroup.RunAndJoin(&Player, 2) && s_rounds == 2000;
        }

        // ---- semaphore ----

        private static KernelSemaphore s_slots = null!;
        private static int s_occupancy;
        private static int s_maxOccupancy;

        private static void SlotUser(void* argument)
        {
            for (int i = 0; i < 50; i++)
            {
                s_slots.Wait();
                RaiseTo(ref s_maxOccupancy, System.Threading.Interlocked.Increment(ref s_occupancy));
                Scheduler.Sleep(20000); // held across a sleep: on any number of CPUs the others pile up
                System.Threading.Interlocked.Decrement(ref s_occupancy);
                s_slots.Release();
            }
        }

        private static bool SemaphoreLimit()
        {
            s_slots = new KernelSemaphore(3);
            s_occupancy = 0;
            s_maxOccupancy = 0;
            // Eight threads sleeping inside: the limit is reached, never passed, and every unit comes back.
            return ThreadGroup.RunAndJoin(&SlotUser, 8)
                & Expect.Equal("most threads inside", 3, s_maxOccupancy)
                & Expect.Equal("units at the end", 3, s_slots.Count);
        }

        private static void RaiseTo(ref int maximum, int value)
        {
            int seen = System.Threading.Volatile.Read(ref maximum);
            while (value > seen)
            {
                int previous = System.Threading.Interlocked.CompareExchange(ref maximum, value, seen);
                if (previous == seen)
                    return;
                seen = previous;
            }
        }

        // ---- reader-writer lock ----

        private static ReaderWriterLock s_rw = null!;
        private static int s_rwViolations;
        private static int s_maxReaders;
        private static int s_writes;

        private static void Reader(void* argument)
        {
            for (int i = 0; i < 100; i++)
            {
                s_rw.EnterRead();
                if (s_rw.HasWriter)
                    System.Threading.Interlocked.Increment(ref s_rwViolations);
                RaiseTo(ref s_maxReaders, s_rw.Readers);
                Scheduler.Sleep(i % 4 == 0 ? 20000UL : 0UL);
                s_rw.ExitRead();
            }
        }

        private static void Writer(void* argument)
        {
            for (int i = 0; i < 50; i++)
            {
                s_rw.EnterWrite();
                if (s_rw.Readers != 0)
                    System.Threading.Interlocked.Increment(ref s_rwViolations);
                s_writes++;
                Scheduler.Yield();
                s_rw.ExitWrite();
            }
        }

        private static bool ReadersAndWriters()
        {
            s_rw = new ReaderWriterLock();
            s_rwViolations = 0;
            s_maxReaders = 0;
            s_writes = 0;
            return ThreadGroup.RunAndJoin(&Reader, 4, &Writer, 2)
                & Expect.Equal("exclusion violations", 0, s_rwViolations)
                & Expect.True("readers shared the lock", s_maxReaders > 1)
                & Expect.Equal("writes", 100, s_writes)
                & Expect.Equal("readers left", 0, s_rw.Readers)
                & Expect.True("no writer left", !s_rw.HasWriter);
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

            KernelConsole.Write("test threads: 200 blocked threads with 1 MiB lazy stacks use ");
            KernelConsole.WriteDecimal(used / 1024);
            KernelConsole.WriteLine(" KiB");
            return used < 16UL * 1024 * 1024;
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
