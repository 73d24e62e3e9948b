using System;
using Osv.Arch.X64;
using Osv.Core.Linux;
using Osv.Vfs.Vfs;
using Errno = Osv.Vfs.Vfs.Errno;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.FileSystems
{
    /// <summary>
    /// utime, utimes, futimesat and utimensat: each reads its own time format (seconds, timeval,
    /// timespec) into two <see cref="Timestamp"/>s — a NULL times pointer is "both now" — and the VFS
    /// does the rest (<see cref="ProcessFiles.SetTimesAt"/>). As in Linux's fs/utimes.c, a NULL path with
    /// a directory descriptor other than AT_FDCWD means the descriptor itself (futimens, futimes).
    /// </summary>
    internal static unsafe class TimestampCalls
    {
        private const long MicrosecondsPerSecond = 1_000_000;

        public static void Register()
        {
            LinuxSystemCalls.Register(N.Utime, &Utime);
            LinuxSystemCalls.Register(N.Utimes, &Utimes);
            LinuxSystemCalls.Register(N.Futimesat, &FutimesAt);
            LinuxSystemCalls.Register(N.Utimensat, &UtimensAt);
        }

        /// <summary>utime(path, struct utimbuf { time_t actime, modtime; } *): whole seconds.</summary>
        private static long Utime(SystemCallFrame* f)
        {
            Timestamp access = TimeUpdate.SetToNow;
            Timestamp modification = TimeUpdate.SetToNow;
            if (f->Argument1 != 0)
            {
                if (!UserMemory.IsReadable((void*)f->Argument1, 2 * sizeof(long)))
                    return -Errno.EFAULT;
                long* seconds = (long*)f->Argument1;
                access = new Timestamp(seconds[0], 0);
                modification = new Timestamp(seconds[1], 0);
            }
            return Apply(AtFlags.CurrentDirectory, f->Argument0, access, modification, 0);
        }

        private static long Utimes(SystemCallFrame* f) => FromTimevals(AtFlags.CurrentDirectory, f->Argument0, f->Argument1);

        private static long FutimesAt(SystemCallFrame* f) => FromTimevals((int)f->Argument0, f->Argument1, f->Argument2);

        /// <summary>struct timeval[2]: microseconds outside 0..999 999 are -EINVAL.</summary>
        private static long FromTimevals(int directory, long pathAddress, long timesAddress)
        {
            Timestamp access = TimeUpdate.SetToNow;
            Timestamp modification = TimeUpdate.SetToNow;
            if (timesAddress != 0)
            {
                if (!UserMemory.IsReadable((void*)timesAddress, 4 * sizeof(long)))
                    return -Errno.EFAULT;
                long* timevals = (long*)timesAddress;
                if (!IsMicroseconds(timevals[1]) || !IsMicroseconds(timevals[3]))
                    return -Errno.EINVAL;
                access = new Timestamp(timevals[0], timevals[1] * 1000);
                modification = new Timestamp(timevals[2], timevals[3] * 1000);
            }
            return Apply(directory, pathAddress, access, modification, 0);
        }

        private static bool IsMicroseconds(long value) => value >= 0 && value < MicrosecondsPerSecond;

        /// <summary>utimensat(dirfd, path, struct timespec[2], flags): UTIME_NOW / UTIME_OMIT in tv_nsec.</summary>
        private static long UtimensAt(SystemCallFrame* f)
        {
            Timestamp access = TimeUpdate.SetToNow;
            Timestamp modification = TimeUpdate.SetToNow;
            if (f->Argument2 != 0)
            {
                if (!UserMemory.IsReadable((void*)f->Argument2, 4 * sizeof(long)))
                    return -Errno.EFAULT;
                long* timespecs = (long*)f->Argument2;
                access = new Timestamp(timespecs[0], timespecs[1]);
                modification = new Timestamp(timespecs[2], timespecs[3]);
            }
            return Apply((int)f->Argument0, f->Argument1, access, modification, (int)f->Argument3);
        }

        private static long Apply(int directory, long pathAddress, Timestamp access, Timestamp modification, int flags)
        {
            if (access.Nanoseconds == TimeUpdate.Omit && modification.Nanoseconds == TimeUpdate.Omit)
                return 0; // Linux returns before reading the path or the descriptor
            ProcessFiles files = KernelFiles.Process!;
            if (pathAddress == 0 && directory != AtFlags.CurrentDirectory)
                return flags != 0 ? -Errno.EINVAL : files.FileSetTimes(directory, access, modification);
            long status = FileSystemCalls.UserPath(pathAddress, out ReadOnlySpan<byte> path);
            return status != 0 ? status : files.SetTimesAt(directory, path, access, modification, flags);
        }
    }
}
