using System;
using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Linux;
using Osv.Core.Threads;
using Osv.Kernel.Libc.Pthreads;

namespace Osv.Kernel.SystemCalls
{
    /// <summary>
    /// The Linux calls that need more than Osv.Core: futex (on <see cref="AddressWait"/>, the same
    /// sleeping words the C# pthreads use), sysinfo (the kernel's memory counts), and the file reader
    /// behind file-backed mmap (the VFS's pread).
    /// </summary>
    internal static unsafe class KernelSystemCalls
    {
        public static void Register()
        {
            LinuxSystemCalls.Register(SystemCallNumbers.Futex, &Futex);
            LinuxSystemCalls.Register(SystemCallNumbers.Sysinfo, &SystemInformation);
            LinuxThreads.FutexWake = &Wake;
            LinuxThreads.FutexWait = &WaitWhile;
            LinuxProcessCalls.FileReader = &ReadForMapping;
        }

        private static int Wake(int* address, int count) => AddressWait.Wake(address, count);

        private static void WaitWhile(int* address, int value) => AddressWait.Wait(address, value, 0);

        private const int FutexWait = 0;
        private const int FutexWake = 1;
        private const int FutexRequeue = 3;
        private const int FutexCompareRequeue = 4;
        private const int FutexWaitBitset = 9;
        private const int FutexWakeBitset = 10;
        private const int FutexPrivate = 128;
        private const int FutexClockRealtime = 256;

        /// <summary>
        /// futex(uaddr, op, val, timeout/val2, uaddr2, val3): WAIT/WAKE (private or not: one address
        /// space), WAIT_BITSET/WAKE_BITSET (the bitset must be non-zero; waiters are not told apart by
        /// it, so a wake may be spurious), REQUEUE/CMP_REQUEUE as a wake of the waiters that would have
        /// moved (callers re-check their word, so spurious wake-ups are allowed). WAIT's timeout is
        /// relative, WAIT_BITSET's absolute on CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME, CLOCK_REALTIME.
        /// </summary>
        private static long Futex(SystemCallFrame* f)
        {
            int* address = (int*)f->Argument0;
            int operation = (int)f->Argument1;
            int value = (int)f->Argument2;
            int command = operation & ~(FutexPrivate | FutexClockRealtime);
            if (((ulong)address & 3) != 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsReadable(address, 4))
                return -Errno.EFAULT;
            switch (command)
            {
                case FutexWait:
                case FutexWaitBitset:
                    return Wait(address, value, (TimeSpec*)f->Argument3, command == FutexWaitBitset, (operation & FutexClockRealtime) != 0, (uint)f->Argument5);
                case FutexWake:
                    return value <= 0 ? 0 : AddressWait.Wake(address, value);
                case FutexWakeBitset:
                    if ((uint)f->Argument5 == 0)
                        return -Errno.EINVAL;
                    return value <= 0 ? 0 : AddressWait.Wake(address, value);
                case FutexCompareRequeue:
                case FutexRequeue:
                {
                    if (command == FutexCompareRequeue && System.Threading.Volatile.Read(ref *address) != (int)f->Argument5)
                        return -Errno.EAGAIN;
                    long moved = f->Argument3; // val2: how many to requeue
                    if (value < 0 || moved < 0)
                        return -Errno.EINVAL;
                    long total = value + moved;
                    return AddressWait.Wake(address, total > int.MaxValue ? int.MaxValue : (int)total);
                }
                default:
                    return LinuxSystemCalls.NotSupported(SystemCallNumbers.Futex, "futex operation other than WAIT/WAKE/BITSET/REQUEUE");
            }
        }

        private static long Wait(int* address, int value, TimeSpec* timeout, bool absolute, bool realtime, uint bitset)
        {
            if (absolute && bitset == 0)
                return -Errno.EINVAL;
            ulong deadline = 0;
            if (timeout != null)
            {
                long error = LinuxSystemCalls.ReadTimeSpec(timeout, out ulong nanoseconds);
                if (error != 0)
                    return error;
                ulong now = TscClock.NanosecondsSinceBoot;
                if (!absolute)
                    deadline = now + nanoseconds;
                else if (realtime)
                {
                    ulong boot = LinuxSystemCalls.BootUnixSeconds * 1000000000UL;
                    deadline = nanoseconds > boot ? nanoseconds - boot : 0;
                }
                else
                    deadline = nanoseconds;
                if (deadline <= now)
                    return System.Threading.Volatile.Read(ref *address) != value ? -Errno.EAGAIN : -Errno.ETIMEDOUT;
            }
            if (!LinuxThreads.BeginWait(address))
            {
                LinuxThreads.EndWait();
                return -Errno.EINTR;
            }
            int result = AddressWait.Wait(address, value, deadline);
            LinuxThreads.EndWait();
            return result == 0 ? 0 : -result; // EAGAIN, ETIMEDOUT, ENOMEM: the same numbers as Linux's
        }

        /// <summary>sysinfo: uptime, memory (mem_unit 1), one process.</summary>
        private static long SystemInformation(SystemCallFrame* f)
        {
            const int Size = 112;
            byte* info = (byte*)f->Argument0;
            if (!UserMemory.IsWritable(info, Size))
                return -Errno.EFAULT;
            for (int i = 0; i < Size; i++)
                info[i] = 0;
            *(long*)info = (long)(TscClock.NanosecondsSinceBoot / 1000000000UL); // uptime
            *(ulong*)(info + 32) = KernelMemory.TotalBytes;                    // totalram
            *(ulong*)(info + 40) = KernelMemory.FreeBytes;                     // freeram
            *(ushort*)(info + 80) = (ushort)Scheduler.LiveThreads;              // procs
            *(uint*)(info + 104) = 1;                                           // mem_unit
            return 0;
        }

        /// <summary>File-backed mmap: pread until the length or the end of the file.</summary>
        private static long ReadForMapping(int descriptor, byte* destination, ulong length, long offset)
        {
            Osv.Vfs.Vfs.ProcessFiles? files = FileSystems.KernelFiles.Process;
            if (files == null)
                return -Errno.ENODEV;
            ulong done = 0;
            while (done < length)
            {
                ulong chunk = length - done > 1UL << 30 ? 1UL << 30 : length - done;
                long read = files.PositionalRead(descriptor, new Span<byte>(destination + done, (int)chunk), offset + (long)done);
                if (read < 0)
                    return read == -Errno.EISDIR ? -Errno.ENODEV : read;
                if (read == 0)
                    break;
                done += (ulong)read;
            }
            return (long)done;
        }
    }
}
