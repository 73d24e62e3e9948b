using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Linux;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=syscalls`: the `syscall` instruction entry and the first Linux calls, made from threads
    /// with lazy stacks (application threads) exactly as compiled code makes them.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread; the probes run on application-style threads
    internal static unsafe class SystemCallTests
    {
        private static long Call(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0x77, long a4 = 0x88, long a5 = 0x99)
            => SyscallProbe.Call(number, a0, a1, a2, a3, a4, a5);

        private static bool OnApplicationThread(delegate*<bool> test) => SyscallProbe.OnApplicationThread(test);

        public static void Run(ref CheckReport report)
        {
            report.Check("registers, SSE state and the red zone survive a syscall", OnApplicationThread(&PreservesState));
            report.Check("getpid, gettid, uname", OnApplicationThread(&Identity));
            report.Check("clock_gettime: monotonic follows the TSC, realtime is after 2020", OnApplicationThread(&Clocks));
            report.Check("nanosleep sleeps; bad arguments give EINVAL and EFAULT", OnApplicationThread(&Sleeping));
            report.Check("write to standard output; EBADF and EFAULT", OnApplicationThread(&Writing));
            report.Check("an unknown system call returns -ENOSYS", OnApplicationThread(&UnknownCall));
            report.Check("four threads migrating between CPUs keep their own syscall stacks", ConcurrentCalls());
            report.Check("mmap: anonymous memory appears on first touch, munmap and mprotect are honoured", OnApplicationThread(&AnonymousMemory));
            report.Check("brk grows and shrinks the heap; madvise(DONTNEED) zeroes", OnApplicationThread(&BreakAndAdvice));
            report.Check("arch_prctl sets and reads the thread pointer", OnApplicationThread(&ThreadPointer));
            report.Check("munmap flushes the TLBs of other CPUs before the page is reused", TlbShootdown());
            report.Check("futex: EAGAIN, ETIMEDOUT (relative and absolute), EINVAL, EFAULT, a wake reaches a waiter", OnApplicationThread(&Futexes));
            report.Check("prlimit64 and getrlimit: stack 8 MiB, files 1024, others infinity; EINVAL, ESRCH, EFAULT", OnApplicationThread(&ResourceLimits));
            report.Check("getrandom, sched_getaffinity, gettimeofday, time: values and EINVAL/EFAULT", OnApplicationThread(&SmallCalls));
            report.Check("clone refuses fork and odd flags; signal calls check their arguments", OnApplicationThread(&RefusedCalls));
            report.Check("mremap shrinks, grows in place and moves anonymous memory with its contents", OnApplicationThread(&Remapping));
        }

        private static int s_stopCompanion;
        private static double s_companionSum;

        /// <summary>Floating-point work on the same CPU: whatever runs while the probe yields clobbers xmm registers.</summary>
        private static void FloatingPointCompanion(void* argument)
        {
            double sum = 0;
            for (int i = 1; Volatile.Read(ref s_stopCompanion) == 0; i++)
            {
                sum += 1.0 / i + sum * 1e-9;
                if (i % 64 == 0)
                    Scheduler.Yield();
            }
            s_companionSum = sum;
        }

        private static bool PreservesState()
        {
            long pid = 0;
            for (int i = 0; i < 100; i++)
                pid = Call(SystemCallNumbers.GetPid, 1, 2, 3);
            Scheduler.PinCurrent(0);
            s_stopCompanion = 0;
            KernelThread? companion = Scheduler.Create(&FloatingPointCompanion, null, 0, 0);
            long yielded = 0;
            for (int i = 0; i < 50; i++)
                yielded |= Call(SystemCallNumbers.SchedYield, 4, 5, 6);
            Volatile.Write(ref s_stopCompanion, 1);
            if (companion != null)
                Scheduler.Join(companion);
            Scheduler.PinCurrent(-1);
            return Expect.Equal("getpid", LinuxSystemCalls.ProcessId, pid)
                & Expect.True("companion created", companion != null)
                & Expect.Equal("sched_yield", 0, yielded);
        }

        private static bool Identity()
        {
            byte* uts = stackalloc byte[6 * 65];
            long unameResult = Call(SystemCallNumbers.Uname, (long)uts);
            return Expect.Equal("getpid", LinuxSystemCalls.ProcessId, Call(SystemCallNumbers.GetPid))
                & Expect.Equal("gettid", Scheduler.CurrentId, Call(SystemCallNumbers.GetTid))
                & Expect.Equal("uname", 0, unameResult)
                & Expect.True("sysname is Linux", Field(uts, 0, "Linux"))
                & Expect.True("machine is x86_64", Field(uts, 4, "x86_64"))
                & Expect.Equal("uname(NULL)", -Errno.EFAULT, Call(SystemCallNumbers.Uname, 0));
        }

        private static bool Field(byte* uts, int index, string expected)
        {
            byte* field = uts + index * 65;
            for (int i = 0; i < expected.Length; i++)
            {
                if (field[i] != expected[i])
                    return false;
            }
            return field[expected.Length] == 0;
        }

        private static bool Clocks()
        {
            TimeSpec first, second, real;
            ulong before = TscClock.NanosecondsSinceBoot;
            long r1 = Call(SystemCallNumbers.ClockGetTime, 1, (long)&first);
            Scheduler.Sleep(1000000);
            long r2 = Call(SystemCallNumbers.ClockGetTime, 1, (long)&second);
            ulong after = TscClock.NanosecondsSinceBoot;
            long r3 = Call(SystemCallNumbers.ClockGetTime, 0, (long)&real);
            ulong firstNs = (ulong)first.Seconds * 1000000000UL + (ulong)first.Nanoseconds;
            ulong secondNs = (ulong)second.Seconds * 1000000000UL + (ulong)second.Nanoseconds;
            return Expect.Equal("clock_gettime results", 0, r1 | r2 | r3)
                & Expect.True("monotonic within the TSC readings around it", firstNs >= before && secondNs <= after)
                & Expect.True("monotonic advanced by the 1 ms sleep", secondNs - firstNs >= 1000000)
                & Expect.True("realtime after 2020-01-01", real.Seconds > 1577836800)
                & Expect.Equal("unknown clock", -Errno.EINVAL, Call(SystemCallNumbers.ClockGetTime, 99, (long)&first))
                & Expect.Equal("bad pointer", -Errno.EFAULT, Call(SystemCallNumbers.ClockGetTime, 1, 8));
        }

        private static bool Sleeping()
        {
            TimeSpec request;
            request.Seconds = 0;
            request.Nanoseconds = 2000000;
            ulong before = TscClock.NanosecondsSinceBoot;
            long slept = Call(SystemCallNumbers.Nanosleep, (long)&request, 0);
            ulong elapsed = TscClock.NanosecondsSinceBoot - before;
            TimeSpec invalid;
            invalid.Seconds = 0;
            invalid.Nanoseconds = 1000000000;
            return Expect.Equal("nanosleep", 0, slept)
                & Expect.True("slept at least 2 ms", elapsed >= 2000000)
                & Expect.Equal("tv_nsec of a second", -Errno.EINVAL, Call(SystemCallNumbers.Nanosleep, (long)&invalid, 0))
                & Expect.Equal("NULL request", -Errno.EFAULT, Call(SystemCallNumbers.Nanosleep, 0, 0));
        }

        private static bool Writing()
        {
            byte* line = stackalloc byte[64];
            string text = "test syscalls: written by write(1)\n";
            int length = 0;
            for (; length < text.Length && length < 64; length++)
                line[length] = (byte)text[length];
            return Expect.Equal("write(1) returns the count", length, Call(SystemCallNumbers.Write, 1, (long)line, length))
                & Expect.Equal("write to a closed fd", -Errno.EBADF, Call(SystemCallNumbers.Write, 7, (long)line, length))
                & Expect.Equal("write from page 0", -Errno.EFAULT, Call(SystemCallNumbers.Write, 1, 16, 4));
        }

        private const int ProtRead = 1, ProtWrite = 2;
        private const int MapPrivate = 0x02, MapFixed = 0x10, MapAnonymous = 0x20, MapFixedNoReplace = 0x100000;

        private static bool AnonymousMemory()
        {
            long residentBefore = Osv.Core.Memory.ApplicationMemory.ResidentPages;
            long address = Call(SystemCallNumbers.Mmap, 0, 1 << 20, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            bool mapped = address > 0 && (address & 4095) == 0;
            long residentUntouched = Osv.Core.Memory.ApplicationMemory.ResidentPages - residentBefore;
            byte* memory = (byte*)address;
            bool zeroed = true;
            for (int page = 0; mapped && page < 256; page += 16)
            {
                zeroed &= memory[page * 4096 + 7] == 0;
                memory[page * 4096 + 7] = (byte)page;
            }
            bool kept = true;
            for (int page = 0; mapped && page < 256; page += 16)
                kept &= memory[page * 4096 + 7] == (byte)page;
            long residentTouched = Osv.Core.Memory.ApplicationMemory.ResidentPages - residentBefore;
            TimeSpec* inside = (TimeSpec*)(memory + 4096);
            long intoWritable = Call(SystemCallNumbers.ClockGetTime, 1, (long)inside);
            long protect = Call(SystemCallNumbers.Mprotect, address, 8192, ProtRead);
            long intoReadOnly = Call(SystemCallNumbers.ClockGetTime, 1, (long)inside);
            long noReplace = Call(SystemCallNumbers.Mmap, address, 4096, ProtRead, MapPrivate | MapAnonymous | MapFixedNoReplace, -1, 0);
            long unmap = Call(SystemCallNumbers.Munmap, address, 1 << 20);
            long writeFromUnmapped = Call(SystemCallNumbers.Write, 1, address, 1);
            long residentAfter = Osv.Core.Memory.ApplicationMemory.ResidentPages - residentBefore;
            return Expect.True("mmap returned a page-aligned address", mapped)
                & Expect.Equal("pages resident before any touch", 0, residentUntouched)
                & Expect.True("fresh pages read as zero", zeroed)
                & Expect.True("written bytes read back", kept)
                & Expect.Equal("pages resident after touching 16", 16, residentTouched)
                & Expect.Equal("clock_gettime into writable mmap memory", 0, intoWritable)
                & Expect.Equal("mprotect", 0, protect)
                & Expect.Equal("clock_gettime into a read-only page", -Errno.EFAULT, intoReadOnly)
                & Expect.Equal("MAP_FIXED_NOREPLACE over a mapping", -Errno.EEXIST, noReplace)
                & Expect.Equal("munmap", 0, unmap)
                & Expect.Equal("write from unmapped memory", -Errno.EFAULT, writeFromUnmapped)
                & Expect.Equal("pages resident after munmap", 0, residentAfter)
                & Expect.Equal("mmap of length 0", -Errno.EINVAL, Call(SystemCallNumbers.Mmap, 0, 0, ProtRead, MapPrivate | MapAnonymous, -1, 0))
                & Expect.Equal("mmap of a file descriptor that is not open", -Errno.EBADF, Call(SystemCallNumbers.Mmap, 0, 4096, ProtRead, MapPrivate, 900, 0))
                & Expect.Equal("mmap of a file at an unaligned offset", -Errno.EINVAL, Call(SystemCallNumbers.Mmap, 0, 4096, ProtRead, MapPrivate, 900, 100))
                & Expect.Equal("munmap unaligned", -Errno.EINVAL, Call(SystemCallNumbers.Munmap, address + 1, 4096));
        }

        private static bool BreakAndAdvice()
        {
            long start = Call(SystemCallNumbers.Brk, 0);
            long grown = Call(SystemCallNumbers.Brk, start + 100000);
            byte* heap = (byte*)start;
            for (int i = 0; i < 100000; i += 512)
                heap[i] = 0xAB;
            bool usable = heap[99840] == 0xAB;
            long advised = Call(SystemCallNumbers.Madvise, start, 8192, 4);
            bool zeroedAgain = heap[0] == 0 && heap[4096] == 0 && heap[8192] == 0xAB;
            long shrunk = Call(SystemCallNumbers.Brk, start + 4096);
            long below = Call(SystemCallNumbers.Brk, start - 4096);
            return Expect.True("brk(0) is in the application region", Osv.Core.Memory.ApplicationMemory.InRegion((ulong)start))
                & Expect.Equal("brk grew", start + 100000, grown)
                & Expect.True("the new heap is usable", usable)
                & Expect.Equal("madvise", 0, advised)
                & Expect.True("MADV_DONTNEED pages read as zero, others keep their data", zeroedAgain)
                & Expect.Equal("brk shrank", start + 4096, shrunk)
                & Expect.Equal("brk below its start keeps the break", start + 4096, below);
        }

        private static bool ThreadPointer()
        {
            ulong* block = (ulong*)NativeMemory.AllocZeroed(64);
            block[0] = (ulong)block;
            ulong kernelBlock = 0;
            long get0 = Call(SystemCallNumbers.ArchPrctl, 0x1003, (long)&kernelBlock);
            long set = Call(SystemCallNumbers.ArchPrctl, 0x1002, (long)block);
            ulong readBack = 0;
            long get = Call(SystemCallNumbers.ArchPrctl, 0x1003, (long)&readBack);
            Scheduler.Yield();
            bool kept = Osv.Arch.X64.Cpu.ReadMsr(Osv.Arch.X64.Cpu.MsrFsBase) == (ulong)block;
            Call(SystemCallNumbers.ArchPrctl, 0x1002, 0);
            NativeMemory.Free(block);
            return Expect.Equal("arch_prctl results", 0, get0 | set | get)
                & Expect.True("ARCH_GET_FS reads what ARCH_SET_FS set", readBack == (ulong)block)
                & Expect.True("kept across a yield", kept)
                & Expect.Equal("an unknown code", -Errno.EINVAL, Call(SystemCallNumbers.ArchPrctl, 0x9999, 0));
        }

        private static long s_sharedAddress;
        private static int s_readerPhase;
        private static int s_staleReads;

        private static void CachingReader(void* argument)
        {
            // Reads the page on its own CPU so its TLB holds the translation, then reads again after the remap.
            byte* page = (byte*)Volatile.Read(ref s_sharedAddress);
            int sum = 0;
            for (int i = 0; i < 1000; i++)
                sum += page[i & 63];
            Volatile.Write(ref s_readerPhase, 1);
            while (Volatile.Read(ref s_readerPhase) != 2)
                Osv.Arch.X64.Cpu.Pause();
            for (int i = 0; i < 64; i++)
            {
                if (page[i] != 0x22)
                    s_staleReads++;
            }
            Volatile.Write(ref s_readerPhase, 3 + (sum & 0));
        }

        private static bool TlbShootdown()
        {
            if (Scheduler.CpuCount < 2)
                return Expect.True("one CPU: no other TLB to flush", true);
            s_readerPhase = 0;
            s_staleReads = 0;
            long address = Osv.Core.Memory.ApplicationMemory.Map(0, 4096, ProtRead | ProtWrite, MapPrivate | MapAnonymous);
            byte* page = (byte*)address;
            for (int i = 0; i < 64; i++)
                page[i] = 0x11;
            Volatile.Write(ref s_sharedAddress, address);
            KernelThread? reader = Scheduler.Create(&CachingReader, null, 0, 1);
            if (reader == null)
                return false;
            while (Volatile.Read(ref s_readerPhase) != 1)
                Scheduler.Sleep(100000);
            long unmapped = Osv.Core.Memory.ApplicationMemory.Unmap((ulong)address, 4096);
            // The freed page goes straight to someone else (the allocator hands out what came back last),
            // and the new mapping gets another: a stale translation on the reader's CPU would read 0x33.
            byte* reused = (byte*)KernelMemory.AllocatePages(1);
            for (int i = 0; reused != null && i < 64; i++)
                reused[i] = 0x33;
            long again = Osv.Core.Memory.ApplicationMemory.Map((ulong)address, 4096, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapFixed);
            for (int i = 0; i < 64; i++)
                page[i] = 0x22;
            Volatile.Write(ref s_readerPhase, 2);
            Scheduler.Join(reader);
            Osv.Core.Memory.ApplicationMemory.Unmap((ulong)address, 4096);
            if (reused != null)
                KernelMemory.FreePages(reused, 1);
            return Expect.Equal("munmap", 0, unmapped)
                & Expect.Equal("mmap at the same address", address, again)
                & Expect.Equal("bytes read through a stale translation", 0, s_staleReads);
        }

        private static bool UnknownCall() => Expect.Equal("syscall 4095", -Errno.ENOSYS, Call(4095));

        private static int s_wrongResults;

        private static void Migrant(void* argument)
        {
            int cpus = Scheduler.CpuCount;
            for (int i = 0; i < 200; i++)
            {
                if (i % 10 == 0)
                    Scheduler.PinCurrent((i / 10 + (int)(nint)argument) % cpus);
                if (Call(SystemCallNumbers.GetTid) != Scheduler.CurrentId)
                    Interlocked.Increment(ref s_wrongResults);
                Call(SystemCallNumbers.SchedYield);
            }
        }

        private static bool ConcurrentCalls()
        {
            s_wrongResults = 0;
            SyscallProbe.ResetDamage();
            KernelThread?[] threads = new KernelThread?[4];
            for (int i = 0; i < threads.Length; i++)
                threads[i] = Scheduler.Create(&Migrant, (void*)(nint)i, 128 * 1024);
            bool created = true;
            foreach (KernelThread? thread in threads)
            {
                created &= thread != null;
                if (thread != null)
                    Scheduler.Join(thread);
            }
            Osv.Runtime.ObjectMemory.Free(threads);
            return Expect.True("threads created", created)
                & Expect.Equal("gettid answers for another thread", 0, s_wrongResults)
                & Expect.Equal("registers or red-zone words changed", 0, SyscallProbe.Damaged);
        }

        private const int FutexWaitPrivate = 128, FutexWakePrivate = 129, FutexWaitBitsetPrivate = 137;

        private static int s_futexWord;
        private static long s_waiterResult;

        private static void FutexWaiter(void* unused)
        {
            s_waiterResult = Call(SystemCallNumbers.Futex, (long)Unsafe.AsPointer(ref s_futexWord), FutexWaitPrivate, 5, 0);
        }

        private static bool Futexes()
        {
            int word = 1;
            TimeSpec wait = default;
            wait.Nanoseconds = 2000000;
            long differs = Call(SystemCallNumbers.Futex, (long)&word, FutexWaitPrivate, 2, 0);
            ulong before = TscClock.NanosecondsSinceBoot;
            long timedOut = Call(SystemCallNumbers.Futex, (long)&word, FutexWaitPrivate, 1, (long)&wait);
            ulong elapsed = TscClock.NanosecondsSinceBoot - before;
            TimeSpec past = default;
            past.Seconds = 1; // CLOCK_MONOTONIC 1 s: long gone
            long absolute = Call(SystemCallNumbers.Futex, (long)&word, FutexWaitBitsetPrivate, 1, (long)&past, 0, -1);
            TimeSpec invalid = default;
            invalid.Nanoseconds = 1000000000;
            long badTime = Call(SystemCallNumbers.Futex, (long)&word, FutexWaitPrivate, 1, (long)&invalid);
            long unaligned = Call(SystemCallNumbers.Futex, (long)((byte*)&word + 1), FutexWakePrivate, 1, 0);
            long unmapped = Call(SystemCallNumbers.Futex, 8, FutexWaitPrivate, 0, 0);
            long nobody = Call(SystemCallNumbers.Futex, (long)&word, FutexWakePrivate, 1, 0);
            long unknown = Call(SystemCallNumbers.Futex, (long)&word, 99, 0, 0);

            s_futexWord = 5;
            s_waiterResult = -1;
            KernelThread? waiter = Scheduler.Create(&FutexWaiter, null, 256 * 1024);
            long woken = 0;
            for (int i = 0; i < 2000 && woken == 0 && waiter != null; i++)
            {
                Scheduler.Sleep(100000);
                woken = Call(SystemCallNumbers.Futex, (long)Unsafe.AsPointer(ref s_futexWord), FutexWakePrivate, 1, 0);
            }
            if (waiter != null)
                Scheduler.Join(waiter);
            return Expect.Equal("WAIT on a different value", -Errno.EAGAIN, differs)
                & Expect.Equal("WAIT with a 2 ms timeout", -Errno.ETIMEDOUT, timedOut)
                & Expect.True("waited at least 2 ms", elapsed >= 2000000)
                & Expect.Equal("WAIT_BITSET with a past deadline", -Errno.ETIMEDOUT, absolute)
                & Expect.Equal("tv_nsec of a second", -Errno.EINVAL, badTime)
                & Expect.Equal("unaligned word", -Errno.EINVAL, unaligned)
                & Expect.Equal("word in page 0", -Errno.EFAULT, unmapped)
                & Expect.Equal("WAKE without waiters", 0, nobody)
                & Expect.Equal("unknown operation", -Errno.ENOSYS, unknown)
                & Expect.Equal("WAKE reached the waiter", 1, woken)
                & Expect.Equal("the waiter's WAIT returned 0", 0, s_waiterResult);
        }

        private static bool ResourceLimits()
        {
            ulong* limit = stackalloc ulong[2];
            long stack = Call(SystemCallNumbers.Prlimit64, 0, 3, 0, (long)limit);
            ulong stackSoft = limit[0];
            long files = Call(SystemCallNumbers.Getrlimit, 7, (long)limit);
            ulong filesSoft = limit[0], filesHard = limit[1];
            long space = Call(SystemCallNumbers.Prlimit64, 0, 9, 0, (long)limit);
            ulong spaceSoft = limit[0];
            limit[0] = 16UL << 20;
            limit[1] = ulong.MaxValue;
            long set = Call(SystemCallNumbers.Prlimit64, 0, 3, (long)limit, 0);
            limit[0] = 2;
            limit[1] = 1;
            long softAboveHard = Call(SystemCallNumbers.Setrlimit, 7, (long)limit);
            return Expect.Equal("prlimit64(RLIMIT_STACK)", 0, stack)
                & Expect.Equal("stack soft limit", (long)(8UL << 20), (long)stackSoft)
                & Expect.Equal("getrlimit(RLIMIT_NOFILE)", 0, files)
                & Expect.Equal("files soft limit", 1024, (long)filesSoft)
                & Expect.Equal("files hard limit", 1024, (long)filesHard)
                & Expect.Equal("prlimit64(RLIMIT_AS)", 0, space)
                & Expect.True("address space unlimited", spaceSoft == ulong.MaxValue)
                & Expect.Equal("setting a limit is accepted", 0, set)
                & Expect.Equal("soft above hard", -Errno.EINVAL, softAboveHard)
                & Expect.Equal("unknown resource", -Errno.EINVAL, Call(SystemCallNumbers.Prlimit64, 0, 99, 0, (long)limit))
                & Expect.Equal("another process", -Errno.ESRCH, Call(SystemCallNumbers.Prlimit64, 42, 3, 0, (long)limit))
                & Expect.Equal("old limit into page 0", -Errno.EFAULT, Call(SystemCallNumbers.Prlimit64, 0, 3, 0, 8));
        }

        private static bool SmallCalls()
        {
            byte* first = stackalloc byte[64];
            byte* second = stackalloc byte[64];
            long n1 = Call(SystemCallNumbers.Getrandom, (long)first, 64, 0);
            long n2 = Call(SystemCallNumbers.Getrandom, (long)second, 64, 1); // GRND_NONBLOCK
            bool differ = false;
            for (int i = 0; i < 64; i++)
                differ |= first[i] != second[i];
            ulong* mask = stackalloc ulong[2];
            mask[0] = 0;
            long affinity = Call(SystemCallNumbers.SchedGetaffinity, 0, 16, (long)mask);
            long bits = 0;
            for (int cpu = 0; cpu < 64; cpu++)
                bits += (long)((mask[0] >> cpu) & 1);
            long* timeval = stackalloc long[2];
            long tod = Call(SystemCallNumbers.Gettimeofday, (long)timeval, 0);
            long seconds = Call(SystemCallNumbers.Time, 0);
            return Expect.Equal("getrandom(64)", 64, n1)
                & Expect.Equal("getrandom(64, GRND_NONBLOCK)", 64, n2)
                & Expect.True("two draws differ", differ)
                & Expect.Equal("getrandom with unknown flags", -Errno.EINVAL, Call(SystemCallNumbers.Getrandom, (long)first, 8, 0x100))
                & Expect.Equal("getrandom into page 0", -Errno.EFAULT, Call(SystemCallNumbers.Getrandom, 16, 8, 0))
                & Expect.Equal("sched_getaffinity returns the mask's bytes", 8, affinity)
                & Expect.Equal("one bit per CPU", Scheduler.CpuCount, bits)
                & Expect.Equal("sched_getaffinity with a 4-byte mask", -Errno.EINVAL, Call(SystemCallNumbers.SchedGetaffinity, 0, 4, (long)mask))
                & Expect.Equal("gettimeofday", 0, tod)
                & Expect.True("time() and gettimeofday agree", seconds - timeval[0] >= 0 && seconds - timeval[0] <= 1 && seconds > 1577836800)
                & Expect.Equal("gettimeofday into page 0", -Errno.EFAULT, Call(SystemCallNumbers.Gettimeofday, 8, 0))
                & Expect.Equal("getuid", 0, Call(SystemCallNumbers.Getuid))
                & Expect.Equal("setuid(1000)", -Errno.EPERM, Call(SystemCallNumbers.Setuid, 1000));
        }

        private static bool RefusedCalls()
        {
            const long ThreadFlags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000;
            ulong* action = stackalloc ulong[4];
            action[0] = 1; // SIG_IGN
            action[1] = action[2] = action[3] = 0;
            ulong set = 0;
            return Expect.Equal("clone without CLONE_VM (fork)", -Errno.ENOSYS, Call(SystemCallNumbers.Clone, 17, 0, 0, 0, 0))
                & Expect.Equal("clone of a thread with CLONE_VFORK", -Errno.EINVAL, Call(SystemCallNumbers.Clone, ThreadFlags | 0x4000, 0x10000, 0, 0, 0))
                & Expect.Equal("clone of a thread without a stack", -Errno.EINVAL, Call(SystemCallNumbers.Clone, ThreadFlags, 0, 0, 0, 0))
                & Expect.Equal("fork", -Errno.ENOSYS, Call(SystemCallNumbers.Fork))
                & Expect.Equal("rseq", -Errno.ENOSYS, Call(SystemCallNumbers.Rseq))
                & Expect.Equal("set_robust_list", 0, Call(SystemCallNumbers.SetRobustList, (long)&set, 24))
                & Expect.Equal("set_robust_list of a wrong size", -Errno.EINVAL, Call(SystemCallNumbers.SetRobustList, (long)&set, 8))
                & Expect.Equal("rt_sigaction(SIGKILL)", -Errno.EINVAL, Call(SystemCallNumbers.RtSigaction, 9, (long)action, 0, 8))
                & Expect.Equal("rt_sigaction(65)", -Errno.EINVAL, Call(SystemCallNumbers.RtSigaction, 65, 0, 0, 8))
                & Expect.Equal("rt_sigaction from page 0", -Errno.EFAULT, Call(SystemCallNumbers.RtSigaction, 10, 8, 0, 8))
                & Expect.Equal("rt_sigprocmask with a 4-byte set", -Errno.EINVAL, Call(SystemCallNumbers.RtSigprocmask, 0, (long)&set, 0, 4))
                & Expect.Equal("rt_sigprocmask with how = 7", -Errno.EINVAL, Call(SystemCallNumbers.RtSigprocmask, 7, (long)&set, 0, 8))
                & Expect.Equal("kill(pid 1, 0)", 0, Call(SystemCallNumbers.Kill, LinuxSystemCalls.ProcessId, 0))
                & Expect.Equal("kill of another process", -Errno.ESRCH, Call(SystemCallNumbers.Kill, 77, 10))
                & Expect.Equal("tgkill of an unknown thread", -Errno.ESRCH, Call(SystemCallNumbers.Tgkill, LinuxSystemCalls.ProcessId, 999999, 10))
                & Expect.Equal("kill with signal 65", -Errno.EINVAL, Call(SystemCallNumbers.Kill, LinuxSystemCalls.ProcessId, 65));
        }

        private static bool Remapping()
        {
            long address = Call(SystemCallNumbers.Mmap, 0, 4 * 4096, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (address < 0)
                return Expect.True("mmap", false);
            for (int page = 0; page < 4; page++)
                *(long*)(address + page * 4096) = 1000 + page;
            long shrunk = Call(SystemCallNumbers.Mremap, address, 4 * 4096, 2 * 4096, 0, 0);
            long grown = Call(SystemCallNumbers.Mremap, address, 2 * 4096, 3 * 4096, 0, 0);
            long blocker = Call(SystemCallNumbers.Mmap, address + 3 * 4096, 4096, ProtRead, MapPrivate | MapAnonymous | MapFixedNoReplace, -1, 0);
            long inPlaceFails = Call(SystemCallNumbers.Mremap, address, 3 * 4096, 8 * 4096, 0, 0);
            long moved = Call(SystemCallNumbers.Mremap, address, 3 * 4096, 8 * 4096, 1, 0); // MREMAP_MAYMOVE
            bool kept = moved > 0 && *(long*)moved == 1000 && *(long*)(moved + 4096) == 1001 && *(long*)(moved + 2 * 4096) == 0 && *(long*)(moved + 7 * 4096) == 0;
            if (moved > 0)
                Call(SystemCallNumbers.Munmap, moved, 8 * 4096);
            Call(SystemCallNumbers.Munmap, address + 3 * 4096, 4096);
            return Expect.Equal("shrink in place", address, shrunk)
                & Expect.Equal("grow in place", address, grown)
                & Expect.Equal("a mapping right after it", address + 3 * 4096, blocker)
                & Expect.Equal("grow without MREMAP_MAYMOVE into it", -Errno.ENOMEM, inPlaceFails)
                & Expect.True("moved elsewhere", moved > 0 && moved != address)
                & Expect.True("the contents moved with it, the new part is zero", kept)
                & Expect.Equal("unaligned address", -Errno.EINVAL, Call(SystemCallNumbers.Mremap, address + 1, 4096, 8192, 1, 0))
                & Expect.Equal("an unmapped range", -Errno.EFAULT, Call(SystemCallNumbers.Mremap, address, 4096, 8192, 1, 0));
        }
    }
}
