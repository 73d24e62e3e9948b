using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Memory;
using Osv.Core.Threads;

namespace Osv.Core.Linux
{
    /// <summary>
    /// The small calls of one process on one machine: identity (root, process 1, its own group and
    /// session), resource limits, CPU affinity, getrandom, the time calls beyond clock_gettime,
    /// file-backed mmap and mremap.
    /// </summary>
    public static unsafe class LinuxProcessCalls
    {
        // ---- identity ----

        /// <summary>setuid/setgid: the only identity is 0, so setting 0 succeeds and anything else is EPERM.</summary>
        internal static long SetIdentity(long id) => id == 0 ? 0 : -Errno.EPERM;

        internal static long ProcessGroup(long pid) => pid == 0 || pid == LinuxSystemCalls.ProcessId ? LinuxSystemCalls.ProcessId : -Errno.ESRCH;

        internal static long SetProcessGroup(long pid, long group)
            => (pid == 0 || pid == LinuxSystemCalls.ProcessId) && (group == 0 || group == LinuxSystemCalls.ProcessId) ? 0 : -Errno.EPERM;

        // ---- resource limits ----

        private const int RlimitCpu = 0;
        private const int RlimitStack = 3;
        private const int RlimitNofile = 7;
        private const int RlimitAs = 9;
        private const int RlimitCount = 16;
        private const ulong Infinity = ulong.MaxValue;

        /// <summary>RLIMIT_NOFILE's value (the file table's size is the VFS's; Linux's default soft limit).</summary>
        public static ulong FileLimit = 1024;

        /// <summary>prlimit64: current limits (RLIMIT_STACK 8 MiB, RLIMIT_NOFILE the file table's, others infinity); new limits are accepted and not enforced.</summary>
        internal static long ResourceLimit(long pid, int resource, ulong* newLimit, ulong* oldLimit)
        {
            if (pid != 0 && pid != LinuxSystemCalls.ProcessId)
                return -Errno.ESRCH;
            if (resource < RlimitCpu || resource >= RlimitCount)
                return -Errno.EINVAL;
            if (newLimit != null && !UserMemory.IsReadable(newLimit, 16))
                return -Errno.EFAULT;
            if (oldLimit != null && !UserMemory.IsWritable(oldLimit, 16))
                return -Errno.EFAULT;
            if (newLimit != null && newLimit[0] > newLimit[1])
                return -Errno.EINVAL;
            if (oldLimit != null)
            {
                ulong soft = Infinity, hard = Infinity;
                if (resource == RlimitStack)
                    soft = 8UL << 20;
                else if (resource == RlimitNofile)
                    soft = hard = FileLimit;
                oldLimit[0] = soft;
                oldLimit[1] = hard;
            }
            return 0;
        }

        // ---- CPUs ----

        /// <summary>sched_getaffinity: a mask of every CPU; returns the bytes written (a multiple of 8, as Linux).</summary>
        internal static long GetAffinity(long pid, ulong size, byte* mask)
        {
            if (pid != 0 && pid != LinuxSystemCalls.ProcessId && LinuxThreads.Find((int)pid) == null)
                return -Errno.ESRCH;
            int cpus = Scheduler.CpuCount;
            ulong needed = (ulong)((cpus + 63) / 64 * 8);
            if (size < needed || (size & 7) != 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable(mask, needed))
                return -Errno.EFAULT;
            for (ulong i = 0; i < needed; i++)
                mask[i] = 0;
            for (int cpu = 0; cpu < cpus; cpu++)
                mask[cpu / 8] |= (byte)(1 << (cpu % 8));
            return (long)needed;
        }

        /// <summary>sched_setaffinity for the calling thread: one CPU pins it there, every CPU unpins it; other sets pin to their first CPU.</summary>
        internal static long SetAffinity(long pid, ulong size, byte* mask)
        {
            if (pid != 0 && pid != Scheduler.CurrentId && pid != LinuxSystemCalls.ProcessId)
                return LinuxThreads.Find((int)pid) == null ? -Errno.ESRCH : 0; // another thread: accepted, not applied
            if (!UserMemory.IsReadable(mask, size))
                return -Errno.EFAULT;
            int cpus = Scheduler.CpuCount;
            int first = -1, count = 0;
            for (int cpu = 0; cpu < cpus && (ulong)(cpu / 8) < size; cpu++)
            {
                if ((mask[cpu / 8] & (1 << (cpu % 8))) != 0)
                {
                    if (first < 0)
                        first = cpu;
                    count++;
                }
            }
            if (first < 0)
                return -Errno.EINVAL;
            Scheduler.PinCurrent(count == cpus ? -1 : first);
            return 0;
        }

        internal static long GetCpu(uint* cpu, uint* node)
        {
            if (cpu != null && !UserMemory.IsWritable(cpu, 4))
                return -Errno.EFAULT;
            if (node != null && !UserMemory.IsWritable(node, 4))
                return -Errno.EFAULT;
            if (cpu != null)
                *cpu = (uint)Scheduler.CurrentCpu;
            if (node != null)
                *node = 0;
            return 0;
        }

        // ---- randomness ----

        private const uint GrndNonblock = 1;
        private const uint GrndRandom = 2;
        private const uint GrndInsecure = 4;
        private static long s_mixer;

        /// <summary>getrandom: RDRAND when the CPU has it, mixed with SplitMix64 over a TSC-seeded state; never blocks.</summary>
        internal static long GetRandom(byte* buffer, ulong length, uint flags)
        {
            if ((flags & ~(GrndNonblock | GrndRandom | GrndInsecure)) != 0 || (flags & (GrndRandom | GrndInsecure)) == (GrndRandom | GrndInsecure))
                return -Errno.EINVAL;
            if (length > 33554431)
                length = 33554431; // Linux's cap per call
            if (!UserMemory.IsWritable(buffer, length))
                return -Errno.EFAULT;
            for (ulong i = 0; i < length; i += 8)
            {
                ulong value = NextRandom();
                for (int b = 0; b < 8 && i + (ulong)b < length; b++)
                    buffer[i + (ulong)b] = (byte)(value >> (8 * b));
            }
            return (long)length;
        }

        /// <summary>64 random bits (see <see cref="GetRandom"/>).</summary>
        public static ulong NextRandom()
        {
            ulong z = (ulong)System.Threading.Interlocked.Add(ref s_mixer, unchecked((long)0x9E3779B97F4A7C15UL)) ^ Cpu.ReadTimestampCounter();
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            if (HardwareRandom.TryNext(out ulong hardware))
                z ^= hardware;
            return z;
        }

        // ---- time ----

        /// <summary>gettimeofday: `struct timeval` { seconds, microseconds }; the time zone, if asked, is UTC.</summary>
        internal static long TimeOfDay(long* timeval, int* zone)
        {
            if (timeval != null && !UserMemory.IsWritable(timeval, 16))
                return -Errno.EFAULT;
            if (zone != null && !UserMemory.IsWritable(zone, 8))
                return -Errno.EFAULT;
            ulong now = RealtimeNanoseconds;
            if (timeval != null)
            {
                timeval[0] = (long)(now / 1000000000UL);
                timeval[1] = (long)(now % 1000000000UL / 1000);
            }
            if (zone != null)
            {
                zone[0] = 0;
                zone[1] = 0;
            }
            return 0;
        }

        internal static long Time(long* result)
        {
            long seconds = (long)(RealtimeNanoseconds / 1000000000UL);
            if (result != null)
            {
                if (!UserMemory.IsWritable(result, 8))
                    return -Errno.EFAULT;
                *result = seconds;
            }
            return seconds;
        }

        public static ulong RealtimeNanoseconds => LinuxSystemCalls.BootUnixSeconds * 1000000000UL + TscClock.NanosecondsSinceBoot;

        private const int TimerAbstime = 1;

        /// <summary>clock_nanosleep: relative or TIMER_ABSTIME on CLOCK_REALTIME/MONOTONIC/BOOTTIME; returns the error (positive in Linux's libc, negative here).</summary>
        internal static long ClockSleep(int clock, int flags, TimeSpec* request, TimeSpec* remaining)
        {
            if ((clock != 0 && clock != 1 && clock != 7) || (flags & ~TimerAbstime) != 0)
                return -Errno.EINVAL; // CPU-time clocks cannot be slept on
            long error = LinuxSystemCalls.ReadTimeSpec(request, out ulong target);
            if (error != 0)
                return error;
            if ((flags & TimerAbstime) != 0)
            {
                ulong now = clock == 0 ? RealtimeNanoseconds : TscClock.NanosecondsSinceBoot;
                target = target > now ? target - now : 0;
            }
            if (target != 0)
                Scheduler.Sleep(target);
            else
                Scheduler.Yield();
            if (remaining != null && (flags & TimerAbstime) == 0 && UserMemory.IsWritable(remaining, (ulong)sizeof(TimeSpec)))
            {
                remaining->Seconds = 0;
                remaining->Nanoseconds = 0;
            }
            return 0;
        }

        // ---- memory ----

        private const ulong PageSize = 4096;

        /// <summary>
        /// Reads a file into memory for mmap: (fd, destination, length, offset) -> bytes read (short at
        /// the end of the file) or -errno (EBADF, EACCES for a directory or a write-only file). Set by the
        /// file systems.
        /// </summary>
        public static delegate*<int, byte*, ulong, long, long> FileReader;

        /// <summary>
        /// mmap: anonymous memory from <see cref="ApplicationMemory"/>; a file is read into a private
        /// anonymous mapping (MAP_PRIVATE, or MAP_SHARED read-only: nothing is written back, so a
        /// writable MAP_SHARED file mapping is refused with ENODEV).
        /// </summary>
        internal static long Map(ulong address, ulong length, int protection, int flags, int fd, long offset)
        {
            if ((flags & ApplicationMemory.MapAnonymous) != 0)
                return ApplicationMemory.Map(address, length, protection, flags);
            if ((offset & (long)(PageSize - 1)) != 0 || offset < 0 || length == 0)
                return -Errno.EINVAL;
            if ((flags & ApplicationMemory.MapShared) != 0 && (protection & ApplicationMemory.ProtectionWrite) != 0)
                return -Errno.ENODEV;
            if (FileReader == null)
                return -Errno.ENODEV;
            int mapFlags = (flags & ~ApplicationMemory.MapShared & ~ApplicationMemory.MapPopulate) | ApplicationMemory.MapPrivate | ApplicationMemory.MapAnonymous;
            long mapped = ApplicationMemory.Map(address, length, protection | ApplicationMemory.ProtectionRead | ApplicationMemory.ProtectionWrite, mapFlags);
            if (mapped < 0)
                return mapped;
            long read = FileReader(fd, (byte*)mapped, length, offset);
            if (read < 0)
            {
                ApplicationMemory.Unmap((ulong)mapped, length);
                return read;
            }
            if ((protection & ApplicationMemory.ProtectionWrite) == 0 || (protection & ApplicationMemory.ProtectionRead) == 0)
                ApplicationMemory.Protect((ulong)mapped, length, protection);
            return mapped;
        }

        private const int MremapMaymove = 1;
        private const int MremapFixed = 2;

        /// <summary>mremap of anonymous (or file-copied) memory: shrink in place, grow in place when the pages after it are free, else move (MREMAP_MAYMOVE): the pages themselves move, nothing is copied.</summary>
        internal static long Remap(ulong oldAddress, ulong oldSize, ulong newSize, int flags, ulong newAddress)
        {
            if ((oldAddress & (PageSize - 1)) != 0 || newSize == 0 || (flags & ~(MremapMaymove | MremapFixed)) != 0)
                return -Errno.EINVAL;
            if ((flags & MremapFixed) != 0)
                return LinuxSystemCalls.NotSupported(SystemCallNumbers.Mremap, "mremap with MREMAP_FIXED", -Errno.EINVAL);
            oldSize = (oldSize + PageSize - 1) & ~(PageSize - 1);
            newSize = (newSize + PageSize - 1) & ~(PageSize - 1);
            if (oldSize == 0)
                return -Errno.EINVAL;
            int protection = ApplicationMemory.ProtectionAt(oldAddress);
            if (protection < 0 || !ApplicationMemory.IsAccessible(oldAddress, oldAddress + oldSize, 0))
                return -Errno.EFAULT;
            if (newSize == oldSize)
                return (long)oldAddress;
            if (newSize < oldSize)
            {
                ApplicationMemory.Unmap(oldAddress + newSize, oldSize - newSize);
                return (long)oldAddress;
            }
            const int Private = ApplicationMemory.MapPrivate | ApplicationMemory.MapAnonymous;
            long grown = ApplicationMemory.Map(oldAddress + oldSize, newSize - oldSize, protection, Private | ApplicationMemory.MapFixedNoReplace);
            if (grown > 0)
                return (long)oldAddress;
            if ((flags & MremapMaymove) == 0)
                return -Errno.ENOMEM;
            long moved = ApplicationMemory.Map(0, newSize, protection | ApplicationMemory.ProtectionRead | ApplicationMemory.ProtectionWrite, Private);
            if (moved < 0)
                return moved;
            ApplicationMemory.MovePages((ulong)moved, oldAddress, oldSize);
            ApplicationMemory.Unmap(oldAddress, oldSize);
            if ((protection & ApplicationMemory.ProtectionWrite) == 0 || (protection & ApplicationMemory.ProtectionRead) == 0)
                ApplicationMemory.Protect((ulong)moved, newSize, protection);
            return moved;
        }
    }
}
