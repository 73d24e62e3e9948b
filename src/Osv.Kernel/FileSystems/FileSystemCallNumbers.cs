namespace Osv.Kernel.FileSystems
{
    /// <summary>x86-64 Linux numbers (arch/x86/entry/syscalls/syscall_64.tbl) of the file system calls <see cref="FileSystemCalls"/> registers.</summary>
    internal static class FileSystemCallNumbers
    {
        public const int Read = 0;
        public const int Write = 1;
        public const int Open = 2;
        public const int Close = 3;
        public const int Stat = 4;
        public const int Fstat = 5;
        public const int Lstat = 6;
        public const int Poll = 7;
        public const int Select = 23;
        public const int Chown = 92;
        public const int Fchown = 93;
        public const int Lchown = 94;
        public const int Fchownat = 260;
        public const int Pselect6 = 270;
        public const int Lseek = 8;
        public const int Ioctl = 16;
        public const int Pread64 = 17;
        public const int Pwrite64 = 18;
        public const int Readv = 19;
        public const int Writev = 20;
        public const int Access = 21;
        public const int Pipe = 22;
        public const int Dup = 32;
        public const int Dup2 = 33;
        public const int Fcntl = 72;
        public const int Fsync = 74;
        public const int Fdatasync = 75;
        public const int Truncate = 76;
        public const int Ftruncate = 77;
        public const int Getcwd = 79;
        public const int Chdir = 80;
        public const int Fchdir = 81;
        public const int Rename = 82;
        public const int Mkdir = 83;
        public const int Rmdir = 84;
        public const int Link = 86;
        public const int Unlink = 87;
        public const int Symlink = 88;
        public const int Readlink = 89;
        public const int Umask = 95;
        public const int Statfs = 137;
        public const int Fstatfs = 138;
        public const int Getdents64 = 217;
        public const int Openat = 257;
        public const int Mkdirat = 258;
        public const int Newfstatat = 262;
        public const int Unlinkat = 263;
        public const int Renameat = 264;
        public const int Linkat = 265;
        public const int Symlinkat = 266;
        public const int Readlinkat = 267;
        public const int Faccessat = 269;
        public const int Dup3 = 292;
        public const int Pipe2 = 293;
        public const int Renameat2 = 316;
        public const int Statx = 332;
        public const int Faccessat2 = 439;
    }
}
