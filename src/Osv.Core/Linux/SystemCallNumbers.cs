namespace Osv.Core.Linux
{
    /// <summary>x86-64 Linux system-call numbers (arch/x86/entry/syscalls/syscall_64.tbl) the kernel implements so far.</summary>
    public static class SystemCallNumbers
    {
        public const int Write = 1;
        public const int Mmap = 9;
        public const int Mprotect = 10;
        public const int Munmap = 11;
        public const int Brk = 12;
        public const int Madvise = 28;
        public const int ArchPrctl = 158;
        public const int SetTidAddress = 218;
        public const int SchedYield = 24;
        public const int Nanosleep = 35;
        public const int GetPid = 39;
        public const int Exit = 60;
        public const int Uname = 63;
        public const int GetTid = 186;
        public const int ClockGetTime = 228;
        public const int ClockGetRes = 229;
        public const int ExitGroup = 231;
    }
}
