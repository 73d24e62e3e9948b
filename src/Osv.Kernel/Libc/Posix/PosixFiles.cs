using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Threads;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// The POSIX file functions of libc.so.6 as thin wrappers over the kernel's own file system calls
    /// (<see cref="LinuxSystemCalls.Invoke"/>: the handlers the `syscall` path runs, with the same
    /// pointer checks): -errno becomes -1 and errno. stat/fstat/lstat/fstatat are exported by their
    /// plain names (glibc 2.33+) and as __xstat &amp; co (older programs; the version argument is
    /// ignored: x86-64 has one struct stat). open and openat are variadic in C; the mode is the third
    /// (fourth) register argument either way.
    /// </summary>
    internal static unsafe class PosixFiles
    {
        /// <summary>A kernel result as the C library returns it: -1 and errno for -4095..-1.</summary>
        public static long Result(long value)
        {
            if (value < 0 && value >= -4095)
            {
                ErrnoLocation.Set((int)-value);
                return -1;
            }
            return value;
        }

        private static long Call(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0) =>
            Result(LinuxSystemCalls.Invoke(number, a0, a1, a2, a3, a4));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "read")]
        public static nint Read(int fd, byte* buffer, nuint count) => (nint)Call(N.Read, fd, (long)buffer, (long)count);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "write")]
        public static nint Write(int fd, byte* buffer, nuint count) => (nint)Call(N.Write, fd, (long)buffer, (long)count);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pread")]
        public static nint PositionalRead(int fd, byte* buffer, nuint count, long offset) => (nint)Call(N.Pread64, fd, (long)buffer, (long)count, offset);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pread64")]
        public static nint PositionalRead64(int fd, byte* buffer, nuint count, long offset) => (nint)Call(N.Pread64, fd, (long)buffer, (long)count, offset);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pwrite")]
        public static nint PositionalWrite(int fd, byte* buffer, nuint count, long offset) => (nint)Call(N.Pwrite64, fd, (long)buffer, (long)count, offset);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pwrite64")]
        public static nint PositionalWrite64(int fd, byte* buffer, nuint count, long offset) => (nint)Call(N.Pwrite64, fd, (long)buffer, (long)count, offset);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "readv")]
        public static nint ReadVector(int fd, void* vectors, int count) => (nint)Call(N.Readv, fd, (long)vectors, count);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "writev")]
        public static nint WriteVector(int fd, void* vectors, int count) => (nint)Call(N.Writev, fd, (long)vectors, count);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "open")]
        public static int Open(byte* path, int flags, uint mode) => (int)Call(N.Open, (long)path, flags, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "open64")]
        public static int Open64(byte* path, int flags, uint mode) => (int)Call(N.Open, (long)path, flags, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "openat")]
        public static int OpenAt(int directory, byte* path, int flags, uint mode) => (int)Call(N.Openat, directory, (long)path, flags, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "openat64")]
        public static int OpenAt64(int directory, byte* path, int flags, uint mode) => (int)Call(N.Openat, directory, (long)path, flags, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "creat")]
        public static int Create(byte* path, uint mode) => (int)Call(N.Open, (long)path, 0x241, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "close")]
        public static int Close(int fd) => (int)Call(N.Close, fd);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "lseek")]
        public static long Seek(int fd, long offset, int whence) => Call(N.Lseek, fd, offset, whence);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "lseek64")]
        public static long Seek64(int fd, long offset, int whence) => Call(N.Lseek, fd, offset, whence);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "stat")]
        public static int Stat(byte* path, void* buffer) => (int)Call(N.Stat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "stat64")]
        public static int Stat64(byte* path, void* buffer) => (int)Call(N.Stat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fstat")]
        public static int FileStat(int fd, void* buffer) => (int)Call(N.Fstat, fd, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fstat64")]
        public static int FileStat64(int fd, void* buffer) => (int)Call(N.Fstat, fd, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "lstat")]
        public static int LinkStat(byte* path, void* buffer) => (int)Call(N.Lstat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "lstat64")]
        public static int LinkStat64(byte* path, void* buffer) => (int)Call(N.Lstat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fstatat")]
        public static int StatAt(int directory, byte* path, void* buffer, int flags) => (int)Call(N.Newfstatat, directory, (long)path, (long)buffer, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fstatat64")]
        public static int StatAt64(int directory, byte* path, void* buffer, int flags) => (int)Call(N.Newfstatat, directory, (long)path, (long)buffer, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__xstat")]
        public static int OldStat(int version, byte* path, void* buffer) => (int)Call(N.Stat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__xstat64")]
        public static int OldStat64(int version, byte* path, void* buffer) => (int)Call(N.Stat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fxstat")]
        public static int OldFileStat(int version, int fd, void* buffer) => (int)Call(N.Fstat, fd, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fxstat64")]
        public static int OldFileStat64(int version, int fd, void* buffer) => (int)Call(N.Fstat, fd, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__lxstat")]
        public static int OldLinkStat(int version, byte* path, void* buffer) => (int)Call(N.Lstat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__lxstat64")]
        public static int OldLinkStat64(int version, byte* path, void* buffer) => (int)Call(N.Lstat, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fxstatat")]
        public static int OldStatAt(int version, int directory, byte* path, void* buffer, int flags) => (int)Call(N.Newfstatat, directory, (long)path, (long)buffer, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fxstatat64")]
        public static int OldStatAt64(int version, int directory, byte* path, void* buffer, int flags) => (int)Call(N.Newfstatat, directory, (long)path, (long)buffer, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "statfs")]
        public static int StatFileSystem(byte* path, void* buffer) => (int)Call(N.Statfs, (long)path, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fstatfs")]
        public static int FileStatFileSystem(int fd, void* buffer) => (int)Call(N.Fstatfs, fd, (long)buffer);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "access")]
        public static int Access(byte* path, int mode) => (int)Call(N.Access, (long)path, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "faccessat")]
        public static int AccessAt(int directory, byte* path, int mode, int flags) => (int)Call(N.Faccessat2, directory, (long)path, mode, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mkdir")]
        public static int MakeDirectory(byte* path, uint mode) => (int)Call(N.Mkdir, (long)path, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mkdirat")]
        public static int MakeDirectoryAt(int directory, byte* path, uint mode) => (int)Call(N.Mkdirat, directory, (long)path, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "rmdir")]
        public static int RemoveDirectory(byte* path) => (int)Call(N.Rmdir, (long)path);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "unlink")]
        public static int Unlink(byte* path) => (int)Call(N.Unlink, (long)path);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "unlinkat")]
        public static int UnlinkAt(int directory, byte* path, int flags) => (int)Call(N.Unlinkat, directory, (long)path, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "rename")]
        public static int Rename(byte* oldPath, byte* newPath) => (int)Call(N.Rename, (long)oldPath, (long)newPath);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "renameat")]
        public static int RenameAt(int oldDirectory, byte* oldPath, int newDirectory, byte* newPath) => (int)Call(N.Renameat, oldDirectory, (long)oldPath, newDirectory, (long)newPath);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "link")]
        public static int Link(byte* oldPath, byte* newPath) => (int)Call(N.Link, (long)oldPath, (long)newPath);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "symlink")]
        public static int Symlink(byte* target, byte* linkPath) => (int)Call(N.Symlink, (long)target, (long)linkPath);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "symlinkat")]
        public static int SymlinkAt(byte* target, int directory, byte* linkPath) => (int)Call(N.Symlinkat, (long)target, directory, (long)linkPath);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "readlink")]
        public static nint ReadLink(byte* path, byte* buffer, nuint size) => (nint)Call(N.Readlink, (long)path, (long)buffer, (long)size);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "readlinkat")]
        public static nint ReadLinkAt(int directory, byte* path, byte* buffer, nuint size) => (nint)Call(N.Readlinkat, directory, (long)path, (long)buffer, (long)size);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "truncate")]
        public static int Truncate(byte* path, long length) => (int)Call(N.Truncate, (long)path, length);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ftruncate")]
        public static int FileTruncate(int fd, long length) => (int)Call(N.Ftruncate, fd, length);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ftruncate64")]
        public static int FileTruncate64(int fd, long length) => (int)Call(N.Ftruncate, fd, length);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fsync")]
        public static int Sync(int fd) => (int)Call(N.Fsync, fd);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fdatasync")]
        public static int DataSync(int fd) => (int)Call(N.Fdatasync, fd);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "chdir")]
        public static int ChangeDirectory(byte* path) => (int)Call(N.Chdir, (long)path);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fchdir")]
        public static int FileChangeDirectory(int fd) => (int)Call(N.Fchdir, fd);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dup")]
        public static int Duplicate(int fd) => (int)Call(N.Dup, fd);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dup2")]
        public static int Duplicate2(int fd, int target) => (int)Call(N.Dup2, fd, target);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dup3")]
        public static int Duplicate3(int fd, int target, int flags) => (int)Call(N.Dup3, fd, target, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pipe")]
        public static int Pipe(int* descriptors) => (int)Call(N.Pipe, (long)descriptors);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pipe2")]
        public static int Pipe2(int* descriptors, int flags) => (int)Call(N.Pipe2, (long)descriptors, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fcntl")]
        public static int Control(int fd, int command, long argument) => (int)Call(N.Fcntl, fd, command, argument);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fcntl64")]
        public static int Control64(int fd, int command, long argument) => (int)Call(N.Fcntl, fd, command, argument);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ioctl")]
        public static int IoControl(int fd, ulong request, long argument) => (int)Call(N.Ioctl, fd, (long)request, argument);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "poll")]
        public static int Poll(void* descriptors, ulong count, int timeout) => (int)Call(N.Poll, (long)descriptors, (long)count, timeout);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "chown")]
        public static int ChangeOwner(byte* path, uint owner, uint group) => (int)Call(N.Chown, (long)path, owner, group);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fchown")]
        public static int FileChangeOwner(int fd, uint owner, uint group) => (int)Call(N.Fchown, fd, owner, group);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "lchown")]
        public static int LinkChangeOwner(byte* path, uint owner, uint group) => (int)Call(N.Lchown, (long)path, owner, group);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fchownat")]
        public static int ChangeOwnerAt(int directory, byte* path, uint owner, uint group, int flags) =>
            (int)Call(N.Fchownat, directory, (long)path, owner, group, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "select")]
        public static int Select(int count, void* read, void* write, void* except, void* timeout) =>
            (int)Call(N.Select, count, (long)read, (long)write, (long)except, (long)timeout);

        /// <summary>pselect: the kernel's pselect6 takes the mask as {pointer, size}; it applies no mask (no asynchronous signals).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pselect")]
        public static int PollSelect(int count, void* read, void* write, void* except, void* timeout, void* mask) =>
            (int)Call(N.Pselect6, count, (long)read, (long)write, (long)except, (long)timeout);

        private const uint TerminalGetAttributes = 0x5401; // TCGETS

        /// <summary>isatty: 1 when the descriptor answers TCGETS (the console), else 0 with errno (ENOTTY, EBADF).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "isatty")]
        public static int IsTerminal(int fd)
        {
            byte* attributes = stackalloc byte[60];
            return Call(N.Ioctl, fd, TerminalGetAttributes, (long)attributes) == 0 ? 1 : 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getdents64")]
        public static nint GetDirectoryEntries(int fd, void* buffer, nuint size) => (nint)Call(N.Getdents64, fd, (long)buffer, (long)size);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "umask")]
        public static uint Umask(uint mask) => (uint)LinuxSystemCalls.Invoke(N.Umask, mask);

        /// <summary>getcwd: NULL buffer means a malloc'd one (size bytes, or as long as needed when size is 0).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getcwd")]
        public static byte* GetCurrentDirectory(byte* buffer, nuint size) => CurrentDirectory(buffer, size);

        public static byte* CurrentDirectory(byte* buffer, nuint size)
        {
            bool allocated = false;
            if (buffer == null)
            {
                if (size == 0)
                    size = 4096;
                buffer = (byte*)Malloc.Malloc.AllocateOrFail(size);
                if (buffer == null)
                    return null;
                allocated = true;
            }
            if (Call(N.Getcwd, (long)buffer, (long)size) < 0)
            {
                if (allocated)
                    Malloc.Malloc.Release(buffer);
                return null;
            }
            return buffer;
        }
    }
}
