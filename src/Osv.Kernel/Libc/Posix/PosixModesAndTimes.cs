using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// chmod and the utime family of libc.so.6: thin wrappers over the kernel's system calls (as in
    /// <see cref="PosixFiles"/>), choosing the call glibc would make. fchmodat with flags and lchmod
    /// use fchmodat2 (a symlink itself: EOPNOTSUPP, as glibc reports); futimes and futimens pass a NULL
    /// path with the descriptor, as glibc does; lutimes turns its timevals into timespecs.
    /// </summary>
    internal static unsafe class PosixModesAndTimes
    {
        private const int CurrentDirectory = -100; // AT_FDCWD
        private const int SymlinkNoFollow = 0x100;
        private const int Einval = 22;

        private static int Call(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0) =>
            (int)PosixFiles.Result(LinuxSystemCalls.Invoke(number, a0, a1, a2, a3));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "chmod")]
        public static int ChangeMode(byte* path, uint mode) => Call(N.Chmod, (long)path, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fchmod")]
        public static int FileChangeMode(int fd, uint mode) => Call(N.Fchmod, fd, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fchmodat")]
        public static int ChangeModeAt(int directory, byte* path, uint mode, int flags) =>
            flags == 0 ? Call(N.Fchmodat, directory, (long)path, mode) : Call(N.Fchmodat2, directory, (long)path, mode, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "lchmod")]
        public static int LinkChangeMode(byte* path, uint mode) => Call(N.Fchmodat2, CurrentDirectory, (long)path, mode, SymlinkNoFollow);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "utime")]
        public static int Utime(byte* path, void* times) => Call(N.Utime, (long)path, (long)times);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "utimes")]
        public static int Utimes(byte* path, void* timevals) => Call(N.Utimes, (long)path, (long)timevals);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "futimesat")]
        public static int FutimesAt(int directory, byte* path, void* timevals) => Call(N.Futimesat, directory, (long)path, (long)timevals);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "futimes")]
        public static int Futimes(int fd, void* timevals) => Call(N.Futimesat, fd, 0, (long)timevals);

        /// <summary>lutimes: no timeval call takes flags, so the times go to utimensat as timespecs (the kernel checks the range).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "lutimes")]
        public static int Lutimes(byte* path, long* timevals)
        {
            long* timespecs = stackalloc long[4];
            if (timevals != null)
            {
                timespecs[0] = timevals[0];
                timespecs[1] = timevals[1] * 1000;
                timespecs[2] = timevals[2];
                timespecs[3] = timevals[3] * 1000;
            }
            return Call(N.Utimensat, CurrentDirectory, (long)path, timevals != null ? (long)timespecs : 0, SymlinkNoFollow);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "futimens")]
        public static int Futimens(int fd, void* timespecs) => Call(N.Utimensat, fd, 0, (long)timespecs, 0);

        /// <summary>utimensat: glibc refuses a NULL path (EINVAL) rather than passing the kernel's descriptor form on.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "utimensat")]
        public static int UtimensAt(int directory, byte* path, void* timespecs, int flags) =>
            path == null ? (int)PosixFiles.Result(-Einval) : Call(N.Utimensat, directory, (long)path, (long)timespecs, flags);
    }
}
