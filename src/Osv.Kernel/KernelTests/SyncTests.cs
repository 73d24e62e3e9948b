using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>`--test=sync`: mutex, condition variable, semaphore and reader-writer lock, with their invariants checked under contention.</summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class SyncTests
    {
        public static void Run(ref CheckReport report)
        {
            report.Check("mutex: eight threads, a thousand critical sections each, never two inside", MutexExclusion());
            report.Check("condition variable: a thousand ping-pong rounds", PingPong());
            report.Check("semaphore: at most three of eight threads inside at once", SemaphoreLimit());
            report.Check("reader-writer lock: readers share, a writer is alone", ReadersAndWriters());
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
    }
}
