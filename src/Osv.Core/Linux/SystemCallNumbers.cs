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
        public const int RtSigaction = 13;
        public const int RtSigprocmask = 14;
        public const int RtSigreturn = 15;
        public const int Mremap = 25;
        public const int Getcpu = 309;
        public const int Clone = 56;
        public const int Fork = 57;
        public const int Vfork = 58;
        public const int Kill = 62;
        public const int Gettimeofday = 96;
        public const int Getrlimit = 97;
        public const int Sysinfo = 99;
        public const int Getuid = 102;
        public const int Getgid = 104;
        public const int Setuid = 105;
        public const int Setgid = 106;
        public const int Geteuid = 107;
        public const int Getegid = 108;
        public const int Setpgid = 109;
        public const int Getppid = 110;
        public const int Getpgrp = 111;
        public const int Setsid = 112;
        public const int Getpgid = 121;
        public const int Getsid = 124;
        public const int RtSigpending = 127;
        public const int RtSigsuspend = 130;
        public const int Sigaltstack = 131;
        public const int Setrlimit = 160;
        public const int Tkill = 200;
        public const int Time = 201;
        public const int Futex = 202;
        public const int SchedSetaffinity = 203;
        public const int SchedGetaffinity = 204;
        public const int ClockNanosleep = 230;
        public const int Tgkill = 234;
        public const int SetRobustList = 273;
        public const int GetRobustList = 274;
        public const int Prlimit64 = 302;
        public const int Getrandom = 318;
        public const int Rseq = 334;
        public const int Clone3 = 435;
    }
}
