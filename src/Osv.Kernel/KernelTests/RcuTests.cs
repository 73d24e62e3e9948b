using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>`--test=rcu`: grace periods wait for readers; deferred frees never reach a reader.</summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class RcuTests
    {
        public static void Run(ref CheckReport report)
        {
            report.Check("synchronize waits for a reader that started before it", SynchronizeWaitsForReader());
            report.Check("readers never see a version freed by a deferred callback", DeferredFreesAreSafe());
        }

        // ---- a grace period covers a running reader ----

        private static int s_readerInside;
        private static ulong s_readerLeftAt;

        private static void LongReader(void* argument)
        {
            Stack.PrefaultNextPage();
            Rcu.ReadLock();
            Volatile.Write(ref s_readerInside, 1);
            ulong until = TscClock.NanosecondsSinceBoot + 20000000; // 20 ms inside, never switched out
            while (TscClock.NanosecondsSinceBoot < until)
                Osv.Arch.X64.Cpu.Pause();
            Volatile.Write(ref s_readerLeftAt, TscClock.NanosecondsSinceBoot);
            Rcu.ReadUnlock();
        }

        private static bool SynchronizeWaitsForReader()
        {
            s_readerInside = 0;
            s_readerLeftAt = 0;
            // On another CPU when there is one: then the grace period really has to wait for it.
            int cpu = Scheduler.CpuCount > 1 ? 1 : 0;
            KernelThread? reader = Scheduler.Create(&LongReader, null, 0, cpu);
            if (reader == null)
                return false;
            while (Volatile.Read(ref s_readerInside) == 0)
                Scheduler.Sleep(100000);
            Rcu.Synchronize();
            ulong returnedAt = TscClock.NanosecondsSinceBoot;
            ulong leftAt = Volatile.Read(ref s_readerLeftAt);
            Scheduler.Join(reader);
            return Expect.True("the reader had left when synchronize returned", leftAt != 0 && leftAt <= returnedAt);
        }

        // ---- deferred frees ----

        private const uint Alive = 0xA11CE;
        private const uint Poisoned = 0xDEAD;

        [StructLayout(LayoutKind.Sequential)]
        private struct Version
        {
            public RcuCallback Callback; // first: the callback's pointer is the version's
            public uint Magic;
            public int Number;
        }

        private static ulong s_current; // the published Version*
        private static int s_stopReaders;
        private static long s_reads;
        private static long s_poisonedReads;
        private static long s_freed;

        private static void FreeVersion(RcuCallback* callback)
        {
            Version* version = (Version*)callback;
            version->Magic = Poisoned; // a reader still holding it would see this
            Interlocked.Increment(ref s_freed);
            // Kept, not freed: the poison stays readable for the check (the test frees them at the end).
        }

        private static void VersionReader(void* argument)
        {
            while (Volatile.Read(ref s_stopReaders) == 0)
            {
                Stack.PrefaultNextPage();
                Rcu.ReadLock();
                Version* version = (Version*)Volatile.Read(ref s_current);
                for (int spin = 0; spin < 50; spin++)
                    Osv.Arch.X64.Cpu.Pause(); // hold the version a while
                if (Volatile.Read(ref version->Magic) != Alive)
                    Interlocked.Increment(ref s_poisonedReads);
                Rcu.ReadUnlock();
                Interlocked.Increment(ref s_reads);
            }
        }

        private static bool DeferredFreesAreSafe()
        {
            const int Versions = 200;
            Version* versions = (Version*)NativeMemory.AllocZeroed((nuint)(Versions * sizeof(Version)));
            if (versions == null)
                return false;
            versions[0].Magic = Alive;
            s_current = (ulong)&versions[0];
            s_stopReaders = 0;
            s_reads = 0;
            s_poisonedReads = 0;
            s_freed = 0;
            long completedBefore = Rcu.CompletedCallbacks;
            int readers = Scheduler.CpuCount > 1 ? Scheduler.CpuCount : 2;
            KernelThread?[] threads = new KernelThread?[readers];
            for (int i = 0; i < readers; i++)
                threads[i] = Scheduler.Create(&VersionReader, null);
            bool deferred = true;
            for (int n = 1; n < Versions; n++)
            {
                Version* next = &versions[n];
                next->Magic = Alive;
                next->Number = n;
                Version* old = (Version*)s_current;
                Volatile.Write(ref s_current, (ulong)next);
                deferred &= Rcu.Defer(&old->Callback, &FreeVersion);
                if (n % 20 == 0)
                    Scheduler.Sleep(200000);
            }
            ulong deadline = TscClock.NanosecondsSinceBoot + 5000000000UL;
            while (Rcu.CompletedCallbacks - completedBefore < Versions - 1 && TscClock.NanosecondsSinceBoot < deadline)
                Scheduler.Sleep(1000000);
            Volatile.Write(ref s_stopReaders, 1);
            foreach (KernelThread? thread in threads)
            {
                if (thread != null)
                    Scheduler.Join(thread);
            }
            Osv.Runtime.ObjectMemory.Free(threads);
            bool ok = Expect.True("every version deferred", deferred)
                & Expect.Equal("callbacks run", Versions - 1, Rcu.CompletedCallbacks - completedBefore)
                & Expect.Equal("versions freed", Versions - 1, Volatile.Read(ref s_freed))
                & Expect.Equal("reads of a freed version", 0, Volatile.Read(ref s_poisonedReads))
                & Expect.True("readers read", Volatile.Read(ref s_reads) > 0);
            NativeMemory.Free(versions);
            return ok;
        }
    }
}
