using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Threads;
using S = Osv.Core.Linux.SystemCallNumbers;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// Memory, time and process identity of libc.so.6 as thin wrappers over the kernel's calls
    /// (<see cref="LinuxSystemCalls.Invoke"/>), plus sleep/usleep/sysconf on top of them. mmap's
    /// failure is MAP_FAILED (-1) with errno; clock_nanosleep returns its error, as POSIX says.
    /// </summary>
    internal static unsafe class PosixSystem
    {
        private static long Call(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) =>
            PosixFiles.Result(LinuxSystemCalls.Invoke(number, a0, a1, a2, a3, a4, a5));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mmap")]
        public static void* Map(void* address, nuint length, int protection, int flags, int fd, long offset) =>
            (void*)Call(S.Mmap, (long)address, (long)length, protection, flags, fd, offset);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mmap64")]
        public static void* Map64(void* address, nuint length, int protection, int flags, int fd, long offset) =>
            (void*)Call(S.Mmap, (long)address, (long)length, protection, flags, fd, offset);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "munmap")]
        public static int Unmap(void* address, nuint length) => (int)Call(S.Munmap, (long)address, (long)length);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mprotect")]
        public static int Protect(void* address, nuint length, int protection) => (int)Call(S.Mprotect, (long)address, (long)length, protection);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "madvise")]
        public static int Advise(void* address, nuint length, int advice) => (int)Call(S.Madvise, (long)address, (long)length, advice);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "posix_madvise")]
        public static int PosixAdvise(void* address, nuint length, int advice) =>
            advice == 4 ? 0 : (int)-LinuxSystemCalls.Invoke(S.Madvise, (long)address, (long)length, advice); // POSIX_MADV_DONTNEED is a no-op in glibc

        /// <summary>mremap is variadic in C; the new address is the fifth register argument either way.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mremap")]
        public static void* Remap(void* address, nuint oldSize, nuint newSize, int flags, void* newAddress) =>
            (void*)Call(S.Mremap, (long)address, (long)oldSize, (long)newSize, flags, (long)newAddress);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "clock_gettime")]
        public static int ClockGetTime(int clock, TimeSpec* time) => (int)Call(S.ClockGetTime, clock, (long)time);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "clock_getres")]
        public static int ClockGetResolution(int clock, TimeSpec* time) => (int)Call(S.ClockGetRes, clock, (long)time);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "nanosleep")]
        public static int Sleep(TimeSpec* request, TimeSpec* remaining) => (int)Call(S.Nanosleep, (long)request, (long)remaining);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "clock_nanosleep")]
        public static int ClockSleep(int clock, int flags, TimeSpec* request, TimeSpec* remaining) =>
            (int)-LinuxSystemCalls.Invoke(S.ClockNanosleep, clock, flags, (long)request, (long)remaining);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "gettimeofday")]
        public static int TimeOfDay(long* time, void* zone) => (int)Call(S.Gettimeofday, (long)time, (long)zone);

        /// <summary>clock: the process's CPU time in CLOCKS_PER_SEC (10^6) units, from CLOCK_PROCESS_CPUTIME_ID.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "clock")]
        public static long ProcessorTime()
        {
            TimeSpec now;
            if (Call(S.ClockGetTime, 2, (long)&now) != 0)
                return -1;
            return now.Seconds * 1000000 + now.Nanoseconds / 1000;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "time")]
        public static long Time(long* result) => Call(S.Time, (long)result);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sleep")]
        public static uint SleepSeconds(uint seconds)
        {
            TimeSpec request = default;
            request.Seconds = seconds;
            LinuxSystemCalls.Invoke(S.Nanosleep, (long)&request);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "usleep")]
        public static int SleepMicroseconds(uint microseconds)
        {
            TimeSpec request = default;
            request.Seconds = microseconds / 1000000;
            request.Nanoseconds = (long)(microseconds % 1000000) * 1000;
            return (int)Call(S.Nanosleep, (long)&request);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpid")]
        public static int ProcessId() => (int)LinuxSystemCalls.Invoke(S.GetPid);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getppid")]
        public static int ParentProcessId() => (int)LinuxSystemCalls.Invoke(S.Getppid);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "gettid")]
        public static int ThreadId() => (int)LinuxSystemCalls.Invoke(S.GetTid);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getuid")]
        public static uint UserId() => (uint)LinuxSystemCalls.Invoke(S.Getuid);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "geteuid")]
        public static uint EffectiveUserId() => (uint)LinuxSystemCalls.Invoke(S.Geteuid);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getgid")]
        public static uint GroupId() => (uint)LinuxSystemCalls.Invoke(S.Getgid);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getegid")]
        public static uint EffectiveGroupId() => (uint)LinuxSystemCalls.Invoke(S.Getegid);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "uname")]
        public static int Uname(void* buffer) => (int)Call(S.Uname, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getrandom")]
        public static nint GetRandom(void* buffer, nuint length, uint flags) => (nint)Call(S.Getrandom, (long)buffer, (long)length, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getrlimit")]
        public static int GetResourceLimit(int resource, ulong* limit) => (int)Call(S.Prlimit64, 0, resource, 0, (long)limit);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setrlimit")]
        public static int SetResourceLimit(int resource, ulong* limit) => (int)Call(S.Prlimit64, 0, resource, (long)limit, 0);

        /// <summary>The CPUs the program may run on (sched_getaffinity's mask), at least 1.</summary>
        private static int ProcessorCount()
        {
            ulong* mask = stackalloc ulong[16];
            for (int i = 0; i < 16; i++)
                mask[i] = 0;
            long bytes = LinuxSystemCalls.Invoke(S.SchedGetaffinity, 0, 128, (long)mask);
            if (bytes <= 0)
                return 1;
            int count = 0;
            for (int i = 0; i < 16; i++)
                for (ulong bits = mask[i]; bits != 0; bits &= bits - 1)
                    count++;
            return count;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "get_nprocs")]
        public static int ProcessorsOnline() => ProcessorCount();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "get_nprocs_conf")]
        public static int ProcessorsConfigured() => ProcessorCount();

        private const int UsageSelf = 0, UsageChildren = -1, UsageThread = 1;

        /// <summary>
        /// getrusage: user time is the process CPU clock (the kernel keeps no per-thread or system-time
        /// accounting yet, so system time is 0); children never exist, so RUSAGE_CHILDREN is all zero.
        /// </summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getrusage")]
        public static int ResourceUsage(int who, long* usage)
        {
            if (who != UsageSelf && who != UsageChildren && who != UsageThread)
            {
                ErrnoLocation.Set(LibcErrors.EINVAL);
                return -1;
            }
            for (int i = 0; i < 18; i++) // struct rusage: two timevals and 14 longs, 144 bytes
                usage[i] = 0;
            if (who == UsageChildren)
                return 0;
            TimeSpec now;
            if (Call(S.ClockGetTime, 2, (long)&now) != 0)
                return -1;
            usage[0] = now.Seconds;
            usage[1] = now.Nanoseconds / 1000;
            return 0;
        }

        private const int ScClockTicks = 2, ScOpenMax = 4, ScPageSize = 30, ScProcessorsConfigured = 83, ScProcessorsOnline = 84;

        /// <summary>sysconf for the names programs ask most: CPUs (from sched_getaffinity), page size, clock ticks, open files; others -1/EINVAL.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sysconf")]
        public static long SystemConfiguration(int name)
        {
            switch (name)
            {
                case ScClockTicks: return 100;
                case ScOpenMax: return 1024;
                case ScPageSize: return 4096;
                case ScProcessorsConfigured:
                case ScProcessorsOnline:
                    return ProcessorCount();
                default:
                    ErrnoLocation.Set(LibcErrors.EINVAL);
                    return -1;
            }
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpagesize")]
        public static int PageSize() => 4096;

        /// <summary>glibc's sched_getaffinity: 0 on success, the bytes past what the kernel wrote zeroed.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sched_getaffinity")]
        public static int GetAffinity(int pid, nuint size, byte* mask)
        {
            long written = Call(S.SchedGetaffinity, pid, (long)size, (long)mask);
            if (written < 0)
                return -1;
            for (nuint i = (nuint)written; i < size; i++)
                mask[i] = 0;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sched_setaffinity")]
        public static int SetAffinity(int pid, nuint size, byte* mask) => (int)Call(S.SchedSetaffinity, pid, (long)size, (long)mask);

        /// <summary>CPU_COUNT: the bits set in a cpu_set_t of <paramref name="size"/> bytes.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__sched_cpucount")]
        public static int CpuCount(nuint size, byte* mask)
        {
            int count = 0;
            for (nuint i = 0; i < size; i++)
                for (int bits = mask[i]; bits != 0; bits &= bits - 1)
                    count++;
            return count;
        }
    }
}
