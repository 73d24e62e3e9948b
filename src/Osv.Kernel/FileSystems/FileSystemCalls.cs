using System;
using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Linux;
using Osv.Core.Threads;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;
using Errno = Osv.Vfs.Vfs.Errno;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.FileSystems
{
    /// <summary>
    /// The Linux file system calls, registered in <see cref="LinuxSystemCalls"/>: each checks the
    /// application's pointers with <see cref="UserMemory"/> (-EFAULT), reads path strings in place (at
    /// most PATH_MAX bytes, -ENAMETOOLONG) and calls the one process's <see cref="ProcessFiles"/>.
    /// They run on the calling thread's 8 KiB syscall stack: nothing here keeps more than a few hundred
    /// bytes on it (the VFS takes its PATH_MAX buffers from the heap).
    /// </summary>
    internal static unsafe class FileSystemCalls
    {
        private const int IovMax = 1024;
        private const uint Tcgets = 0x5401;
        private const uint Tiocgwinsz = 0x5413;
        private const uint Fionread = 0x541B;

        public static void Register()
        {
            Add(N.Read, &Read);
            Add(N.Write, &Write);
            Add(N.Open, &Open);
            Add(N.Openat, &OpenAt);
            Add(N.Close, &Close);
            Add(N.Stat, &Stat);
            Add(N.Lstat, &LinkStat);
            Add(N.Fstat, &FileStat);
            Add(N.Newfstatat, &StatAt);
            Add(N.Statx, &Statx);
            Add(N.Lseek, &Seek);
            Add(N.Pread64, &PositionalRead);
            Add(N.Pwrite64, &PositionalWrite);
            Add(N.Readv, &ReadVector);
            Add(N.Writev, &WriteVector);
            Add(N.Access, &Access);
            Add(N.Faccessat, &AccessAt);
            Add(N.Faccessat2, &AccessAt2);
            Add(N.Pipe, &Pipe);
            Add(N.Pipe2, &Pipe2);
            Add(N.Dup, &Dup);
            Add(N.Dup2, &Dup2);
            Add(N.Dup3, &Dup3);
            Add(N.Fcntl, &Fcntl);
            Add(N.Ioctl, &Ioctl);
            Add(N.Getdents64, &GetDents64);
            Add(N.Getcwd, &GetCwd);
            Add(N.Chdir, &ChangeDirectory);
            Add(N.Fchdir, &FileChangeDirectory);
            Add(N.Mkdir, &MakeDirectory);
            Add(N.Mkdirat, &MakeDirectoryAt);
            Add(N.Rmdir, &RemoveDirectory);
            Add(N.Unlink, &Unlink);
            Add(N.Unlinkat, &UnlinkAt);
            Add(N.Rename, &Rename);
            Add(N.Renameat, &RenameAt);
            Add(N.Renameat2, &RenameAt2);
            Add(N.Link, &Link);
            Add(N.Linkat, &LinkAt);
            Add(N.Symlink, &Symlink);
            Add(N.Symlinkat, &SymlinkAt);
            Add(N.Readlink, &ReadLink);
            Add(N.Readlinkat, &ReadLinkAt);
            Add(N.Truncate, &Truncate);
            Add(N.Ftruncate, &FileTruncate);
            Add(N.Fsync, &Sync);
            Add(N.Fdatasync, &Sync);
            Add(N.Umask, &Umask);
            Add(N.Statfs, &StatFileSystem);
            Add(N.Fstatfs, &FileStatFileSystem);
            Add(N.Poll, &Poll);
            SelectCalls.Register();
            OwnershipCalls.Register();
            PermissionCalls.Register();
            TimestampCalls.Register();
        }

        private static void Add(int number, delegate*<SystemCallFrame*, long> handler) => LinuxSystemCalls.Register(number, handler);

        private static ProcessFiles? Files => KernelFiles.Process;

        // ---- argument checks ----

        /// <summary>A NUL-terminated path in application memory: -EFAULT if unmapped, -ENAMETOOLONG without a NUL in PATH_MAX bytes.</summary>
        public static long UserPath(long address, out ReadOnlySpan<byte> path)
        {
            path = default;
            byte* start = (byte*)address;
            int length = 0;
            while (true)
            {
                ulong here = (ulong)(start + length);
                ulong chunk = 4096 - (here & 4095);
                if (!UserMemory.IsReadable(start + length, chunk))
                    return -Errno.EFAULT;
                for (ulong i = 0; i < chunk; i++, length++)
                {
                    if (length >= PathLimits.PathMax)
                        return -Errno.ENAMETOOLONG;
                    if (start[length] == 0)
                    {
                        path = new ReadOnlySpan<byte>(start, length);
                        return 0;
                    }
                }
            }
        }

        private static int Clamp(long count) => count > int.MaxValue ? int.MaxValue : (int)count;

        // ---- transfer ----

        private static long Read(SystemCallFrame* f)
        {
            if (f->Argument2 < 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable((void*)f->Argument1, (ulong)f->Argument2))
                return -Errno.EFAULT;
            return Files!.Read((int)f->Argument0, new Span<byte>((void*)f->Argument1, Clamp(f->Argument2)));
        }

        private static long Write(SystemCallFrame* f)
        {
            if (f->Argument2 < 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsReadable((void*)f->Argument1, (ulong)f->Argument2))
                return -Errno.EFAULT;
            return Files!.Write((int)f->Argument0, new ReadOnlySpan<byte>((void*)f->Argument1, Clamp(f->Argument2)));
        }

        private static long PositionalRead(SystemCallFrame* f)
        {
            if (f->Argument2 < 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable((void*)f->Argument1, (ulong)f->Argument2))
                return -Errno.EFAULT;
            return Files!.PositionalRead((int)f->Argument0, new Span<byte>((void*)f->Argument1, Clamp(f->Argument2)), f->Argument3);
        }

        private static long PositionalWrite(SystemCallFrame* f)
        {
            if (f->Argument2 < 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsReadable((void*)f->Argument1, (ulong)f->Argument2))
                return -Errno.EFAULT;
            return Files!.PositionalWrite((int)f->Argument0, new ReadOnlySpan<byte>((void*)f->Argument1, Clamp(f->Argument2)), f->Argument3);
        }

        private static long CheckVectors(long address, long count, bool write)
        {
            if (count < 0 || count > IovMax)
                return -Errno.EINVAL;
            if (!UserMemory.IsReadable((void*)address, (ulong)count * (ulong)sizeof(IoVector)))
                return -Errno.EFAULT;
            IoVector* vectors = (IoVector*)address;
            for (long i = 0; i < count; i++)
            {
                bool ok = write
                    ? UserMemory.IsReadable(vectors[i].Base, vectors[i].Length)
                    : UserMemory.IsWritable(vectors[i].Base, vectors[i].Length);
                if (!ok && vectors[i].Length != 0)
                    return -Errno.EFAULT;
            }
            return 0;
        }

        private static long ReadVector(SystemCallFrame* f)
        {
            long status = CheckVectors(f->Argument1, f->Argument2, write: false);
            return status != 0 ? status : Files!.ReadVector((int)f->Argument0, new ReadOnlySpan<IoVector>((void*)f->Argument1, (int)f->Argument2));
        }

        private static long WriteVector(SystemCallFrame* f)
        {
            long status = CheckVectors(f->Argument1, f->Argument2, write: true);
            return status != 0 ? status : Files!.WriteVector((int)f->Argument0, new ReadOnlySpan<IoVector>((void*)f->Argument1, (int)f->Argument2));
        }

        private static long Seek(SystemCallFrame* f) => Files!.Seek((int)f->Argument0, f->Argument1, (int)f->Argument2);

        private static long Truncate(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.Truncate(path, f->Argument1);
        }

        private static long FileTruncate(SystemCallFrame* f) => Files!.FileTruncate((int)f->Argument0, f->Argument1);

        private static long Sync(SystemCallFrame* f) => Files!.Sync((int)f->Argument0);

        // ---- open and close ----

        private static long Open(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.Open(path, (int)f->Argument1, (uint)f->Argument2);
        }

        private static long OpenAt(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.OpenAt((int)f->Argument0, path, (int)f->Argument2, (uint)f->Argument3);
        }

        private static long Close(SystemCallFrame* f) => Files!.Close((int)f->Argument0);

        // ---- metadata ----

        private static long Stat(SystemCallFrame* f) => StatCommon(AtFlags.CurrentDirectory, f->Argument0, f->Argument1, 0);

        private static long LinkStat(SystemCallFrame* f) => StatCommon(AtFlags.CurrentDirectory, f->Argument0, f->Argument1, AtFlags.SymlinkNoFollow);

        private static long StatAt(SystemCallFrame* f) => StatCommon((int)f->Argument0, f->Argument1, f->Argument2, (int)f->Argument3);

        private static long StatCommon(int directory, long pathAddress, long statAddress, int flags)
        {
            long status = UserPath(pathAddress, out ReadOnlySpan<byte> path);
            if (status != 0)
                return status;
            if (!UserMemory.IsWritable((void*)statAddress, (ulong)sizeof(LinuxStat)))
                return -Errno.EFAULT;
            status = Files!.StatAt(directory, path, out LinuxStat stat, flags);
            if (status == 0)
                *(LinuxStat*)statAddress = stat;
            return status;
        }

        private static long FileStat(SystemCallFrame* f)
        {
            if (!UserMemory.IsWritable((void*)f->Argument1, (ulong)sizeof(LinuxStat)))
                return -Errno.EFAULT;
            long status = Files!.FileStat((int)f->Argument0, out LinuxStat stat);
            if (status == 0)
                *(LinuxStat*)f->Argument1 = stat;
            return status;
        }

        private static long Statx(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> path);
            if (status != 0)
                return status;
            if (!UserMemory.IsWritable((void*)f->Argument4, (ulong)sizeof(LinuxStatx)))
                return -Errno.EFAULT;
            status = Files!.Statx((int)f->Argument0, path, (int)f->Argument2, (uint)f->Argument3, out LinuxStatx statx);
            if (status == 0)
                *(LinuxStatx*)f->Argument4 = statx;
            return status;
        }

        private static long Access(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.Access(path, (int)f->Argument1);
        }

        private static long AccessAt(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.AccessAt((int)f->Argument0, path, (int)f->Argument2, 0);
        }

        private static long AccessAt2(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.AccessAt((int)f->Argument0, path, (int)f->Argument2, (int)f->Argument3);
        }

        private static long StatFileSystem(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            if (status != 0)
                return status;
            if (!UserMemory.IsWritable((void*)f->Argument1, (ulong)sizeof(LinuxStatfs)))
                return -Errno.EFAULT;
            status = Files!.StatFileSystem(path, out LinuxStatfs statfs);
            if (status == 0)
                *(LinuxStatfs*)f->Argument1 = statfs;
            return status;
        }

        private static long FileStatFileSystem(SystemCallFrame* f)
        {
            if (!UserMemory.IsWritable((void*)f->Argument1, (ulong)sizeof(LinuxStatfs)))
                return -Errno.EFAULT;
            long status = Files!.FileStatFileSystem((int)f->Argument0, out LinuxStatfs statfs);
            if (status == 0)
                *(LinuxStatfs*)f->Argument1 = statfs;
            return status;
        }

        private static long Umask(SystemCallFrame* f) => Files!.SetUmask((uint)f->Argument0);

        // ---- descriptors ----

        private static long Pipe(SystemCallFrame* f) => PipeCommon(f->Argument0, 0);

        private static long Pipe2(SystemCallFrame* f) => PipeCommon(f->Argument0, (int)f->Argument1);

        private static long PipeCommon(long address, int flags)
        {
            if (!UserMemory.IsWritable((void*)address, 2 * sizeof(int)))
                return -Errno.EFAULT;
            int* descriptors = stackalloc int[2];
            long status = Files!.Pipe2(new Span<int>(descriptors, 2), flags);
            if (status == 0)
            {
                ((int*)address)[0] = descriptors[0];
                ((int*)address)[1] = descriptors[1];
            }
            return status;
        }

        private static long Dup(SystemCallFrame* f) => Files!.Duplicate((int)f->Argument0);

        private static long Dup2(SystemCallFrame* f) => Files!.Duplicate2((int)f->Argument0, (int)f->Argument1);

        private static long Dup3(SystemCallFrame* f) => Files!.Duplicate3((int)f->Argument0, (int)f->Argument1, (int)f->Argument2);

        private static long Fcntl(SystemCallFrame* f)
        {
            int command = (int)f->Argument1;
            if (command != ProcessFiles.GetLock && command != ProcessFiles.SetLock && command != ProcessFiles.SetLockWait)
                return Files!.Control((int)f->Argument0, command, f->Argument2);
            if (!UserMemory.IsWritable((void*)f->Argument2, (ulong)sizeof(FileLock)))
                return -Errno.EFAULT;
            return Files!.RecordLock((int)f->Argument0, command, ref *(FileLock*)f->Argument2);
        }

        private static long Ioctl(SystemCallFrame* f)
        {
            uint request = (uint)f->Argument1;
            ulong size = request switch { Tcgets => 60, Tiocgwinsz => 8, Fionread => 4, _ => 0 };
            if (size != 0 && !UserMemory.IsWritable((void*)f->Argument2, size))
                return -Errno.EFAULT;
            return Files!.Ioctl((int)f->Argument0, request, (void*)f->Argument2);
        }

        /// <summary>One readiness pass; with a timeout, passes every millisecond until something is ready or time is up (no wait-queue wake-ups yet).</summary>
        private static long Poll(SystemCallFrame* f)
        {
            long count = f->Argument1;
            if (count < 0 || count > FileDescriptorTable.DefaultLimit)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable((void*)f->Argument0, (ulong)count * (ulong)sizeof(PollDescriptor)))
                return -Errno.EFAULT;
            var descriptors = new Span<PollDescriptor>((void*)f->Argument0, (int)count);
            long timeoutMs = (int)f->Argument2;
            ulong deadline = timeoutMs < 0 ? ulong.MaxValue : TscClock.NanosecondsSinceBoot + (ulong)timeoutMs * 1000000UL;
            return PollUntil(descriptors, deadline);
        }

        /// <summary>poll's wait (also select's): readiness passes every millisecond until one finds something or <paramref name="deadline"/> (ns since boot) passes.</summary>
        public static long PollUntil(Span<PollDescriptor> descriptors, ulong deadline)
        {
            while (true)
            {
                long ready = Files!.Poll(descriptors);
                if (ready != 0 || TscClock.NanosecondsSinceBoot >= deadline)
                    return ready;
                Scheduler.Sleep(1000000);
            }
        }

        // ---- directories ----

        private static long GetDents64(SystemCallFrame* f)
        {
            if (f->Argument2 < 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable((void*)f->Argument1, (ulong)f->Argument2))
                return -Errno.EFAULT;
            return Files!.GetDirectoryEntries64((int)f->Argument0, new Span<byte>((void*)f->Argument1, Clamp(f->Argument2)));
        }

        private static long GetCwd(SystemCallFrame* f)
        {
            if (f->Argument1 < 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable((void*)f->Argument0, (ulong)f->Argument1))
                return -Errno.EFAULT;
            return Files!.GetCurrentDirectory(new Span<byte>((void*)f->Argument0, Clamp(f->Argument1)));
        }

        private static long ChangeDirectory(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.ChangeDirectory(path);
        }

        private static long FileChangeDirectory(SystemCallFrame* f) => Files!.ChangeDirectory((int)f->Argument0);

        // ---- names ----

        private static long MakeDirectory(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.MakeDirectory(path, (uint)f->Argument1);
        }

        private static long MakeDirectoryAt(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.MakeDirectoryAt((int)f->Argument0, path, (uint)f->Argument2);
        }

        private static long RemoveDirectory(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.RemoveDirectory(path);
        }

        private static long Unlink(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.Unlink(path);
        }

        private static long UnlinkAt(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> path);
            return status != 0 ? status : Files!.UnlinkAt((int)f->Argument0, path, (int)f->Argument2);
        }

        private static long Rename(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> oldPath);
            if (status != 0)
                return status;
            status = UserPath(f->Argument1, out ReadOnlySpan<byte> newPath);
            return status != 0 ? status : Files!.Rename(oldPath, newPath);
        }

        private static long RenameAt(SystemCallFrame* f) => RenameAtCommon(f, 0);

        private static long RenameAt2(SystemCallFrame* f) => RenameAtCommon(f, f->Argument4);

        private static long RenameAtCommon(SystemCallFrame* f, long flags)
        {
            if (flags != 0)
                return -Errno.EINVAL; // RENAME_NOREPLACE/EXCHANGE/WHITEOUT are not supported
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> oldPath);
            if (status != 0)
                return status;
            status = UserPath(f->Argument3, out ReadOnlySpan<byte> newPath);
            return status != 0 ? status : Files!.RenameAt((int)f->Argument0, oldPath, (int)f->Argument2, newPath);
        }

        private static long Link(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> oldPath);
            if (status != 0)
                return status;
            status = UserPath(f->Argument1, out ReadOnlySpan<byte> newPath);
            return status != 0 ? status : Files!.Link(oldPath, newPath);
        }

        private static long LinkAt(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument1, out ReadOnlySpan<byte> oldPath);
            if (status != 0)
                return status;
            status = UserPath(f->Argument3, out ReadOnlySpan<byte> newPath);
            return status != 0 ? status : Files!.LinkAt((int)f->Argument0, oldPath, (int)f->Argument2, newPath, (int)f->Argument4);
        }

        private static long Symlink(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> target);
            if (status != 0)
                return status;
            status = UserPath(f->Argument1, out ReadOnlySpan<byte> linkPath);
            return status != 0 ? status : Files!.Symlink(target, linkPath);
        }

        private static long SymlinkAt(SystemCallFrame* f)
        {
            long status = UserPath(f->Argument0, out ReadOnlySpan<byte> target);
            if (status != 0)
                return status;
            status = UserPath(f->Argument2, out ReadOnlySpan<byte> linkPath);
            return status != 0 ? status : Files!.SymlinkAt(target, (int)f->Argument1, linkPath);
        }

        private static long ReadLink(SystemCallFrame* f) => ReadLinkCommon(AtFlags.CurrentDirectory, f->Argument0, f->Argument1, f->Argument2);

        private static long ReadLinkAt(SystemCallFrame* f) => ReadLinkCommon((int)f->Argument0, f->Argument1, f->Argument2, f->Argument3);

        private static long ReadLinkCommon(int directory, long pathAddress, long buffer, long size)
        {
            long status = UserPath(pathAddress, out ReadOnlySpan<byte> path);
            if (status != 0)
                return status;
            if (size <= 0)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable((void*)buffer, (ulong)size))
                return -Errno.EFAULT;
            return Files!.ReadLinkAt(directory, path, new Span<byte>((void*)buffer, Clamp(size)));
        }
    }
}
