using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Core.Linux
{
    /// <summary>
    /// The Linux system-call table, entered by the `syscall` instruction (static executables, musl's
    /// own wrappers); the libc ABI will call the same implementations directly. The calls this class
    /// implements are in its switch; subsystems above Osv.Core (files in Osv.Vfs, ...) add theirs with
    /// <see cref="Register"/>, which wins over the switch. Unknown numbers get -ENOSYS and, with
    /// --verbose, one console line each.
    /// </summary>
    public static unsafe class LinuxSystemCalls
    {
        /// <summary>Numbers 0..TableSize-1 can be registered (Linux x86-64 numbers stay below 512).</summary>
        public const int TableSize = 512;

        private static bool s_verbose;
        private static ulong s_bootUnixSeconds;
        private static delegate*<SystemCallFrame*, long>* s_registered;

        /// <summary>Takes over the `syscall` entry. <paramref name="bootUnixSeconds"/>: the wall clock at boot (CMOS), for CLOCK_REALTIME.</summary>
        public static void Initialize(bool verbose, ulong bootUnixSeconds)
        {
            s_verbose = verbose;
            s_bootUnixSeconds = bootUnixSeconds;
            s_registered = (delegate*<SystemCallFrame*, long>*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(TableSize * sizeof(void*)));
            LinuxThreads.Initialize();
            LinuxSignals.Initialize();
            ProgramFaults.Register();
            EndingProgramThreads.Register();
            SystemCallEntry.Register(&Dispatch);
        }

        /// <summary>Wall-clock seconds at boot (0 when the machine has no CMOS clock).</summary>
        public static ulong BootUnixSeconds => s_bootUnixSeconds;

        /// <summary>Installs <paramref name="handler"/> for system call <paramref name="number"/>; false if the number is out of range or the table is not set up.</summary>
        public static bool Register(int number, delegate*<SystemCallFrame*, long> handler)
        {
            if (s_registered == null || number < 0 || number >= TableSize)
                return false;
            s_registered[number] = handler;
            return true;
        }

        private static long Dispatch(SystemCallFrame* frame)
        {
            if (LinuxThreads.Ending)
                LinuxThreads.EndIfProgramEnding(); // exit_group ended the program: its other threads end at their next call
            long result = Call(frame);
            return LinuxSignals.DeliverPending(frame, result);
        }

        /// <summary>
        /// A system call made as a plain function call (the C library's POSIX wrappers in the kernel,
        /// src/Osv.Kernel/Libc/Posix): the same handlers as the `syscall` path, on the caller's stack,
        /// result as the kernel returns it (-errno on failure). No signal is delivered on the way out.
        /// </summary>
        public static long Invoke(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0)
        {
            if (LinuxThreads.Ending)
                LinuxThreads.EndIfProgramEnding();
            SystemCallFrame frame = default;
            frame.Number = number;
            frame.Argument0 = a0;
            frame.Argument1 = a1;
            frame.Argument2 = a2;
            frame.Argument3 = a3;
            frame.Argument4 = a4;
            frame.Argument5 = a5;
            return Call(&frame);
        }

        private static long Call(SystemCallFrame* frame)
        {
            long number = frame->Number;
            if (number >= 0 && number < TableSize && s_registered[number] != null)
                return s_registered[number](frame);
            long a0 = frame->Argument0;
            long a1 = frame->Argument1;
            long a2 = frame->Argument2;
            switch (number)
            {
                case SystemCallNumbers.SchedYield: Scheduler.Yield(); return 0;
                case SystemCallNumbers.Nanosleep: return Nanosleep((TimeSpec*)a0, (TimeSpec*)a1);
                case SystemCallNumbers.GetPid: return ProcessId;
                case SystemCallNumbers.GetTid: return Scheduler.CurrentId;
                case SystemCallNumbers.Uname: return Uname((byte*)a0);
                case SystemCallNumbers.ClockGetTime: return ClockGetTime((int)a0, (TimeSpec*)a1);
                case SystemCallNumbers.ClockGetRes: return ClockGetResolution((int)a0, (TimeSpec*)a1);
                case SystemCallNumbers.Exit: LinuxThreads.ExitThread(); return 0;
                case SystemCallNumbers.ExitGroup: ExitProcess((int)a0); return 0;
                case SystemCallNumbers.Mmap: return LinuxProcessCalls.Map((ulong)a0, (ulong)a1, (int)a2, (int)frame->Argument3, (int)frame->Argument4, frame->Argument5);
                case SystemCallNumbers.Munmap: return Memory.ApplicationMemory.Unmap((ulong)a0, (ulong)a1);
                case SystemCallNumbers.Mprotect: return Memory.ApplicationMemory.Protect((ulong)a0, (ulong)a1, (int)a2);
                case SystemCallNumbers.Mremap: return LinuxProcessCalls.Remap((ulong)a0, (ulong)a1, (ulong)a2, (int)frame->Argument3, (ulong)frame->Argument4);
                case SystemCallNumbers.Brk: return Memory.ApplicationMemory.Break((ulong)a0);
                case SystemCallNumbers.Madvise: return Memory.ApplicationMemory.Advise((ulong)a0, (ulong)a1, (int)a2);
                case SystemCallNumbers.ArchPrctl: return ArchPrctl((int)a0, (ulong)a1);
                case SystemCallNumbers.SetTidAddress: return LinuxThreads.SetTidAddress((int*)a0);
                case SystemCallNumbers.SetRobustList: return LinuxThreads.SetRobustList((ulong)a0, (ulong)a1);
                case SystemCallNumbers.Clone: return LinuxThreads.Clone(frame);
                case SystemCallNumbers.Fork:
                case SystemCallNumbers.Vfork: return NotSupported(number, "fork: one address space, one process");
                case SystemCallNumbers.Clone3: return -Errno.ENOSYS; // the C libraries fall back to clone
                case SystemCallNumbers.Rseq: return -Errno.ENOSYS; // glibc runs without it
                case SystemCallNumbers.RtSigaction: return LinuxSignals.Action((int)a0, (KernelSigaction*)a1, (KernelSigaction*)a2, (ulong)frame->Argument3);
                case SystemCallNumbers.RtSigprocmask: return LinuxSignals.ProcMask((int)a0, (ulong*)a1, (ulong*)a2, (ulong)frame->Argument3);
                case SystemCallNumbers.RtSigreturn: return LinuxSignals.Return(frame);
                case SystemCallNumbers.RtSigpending: return LinuxSignals.Pending((ulong*)a0, (ulong)a1);
                case SystemCallNumbers.RtSigsuspend: return LinuxSignals.Suspend((ulong*)a0, (ulong)a1);
                case SystemCallNumbers.Sigaltstack: return LinuxSignals.AltStack((ulong*)a0, (ulong*)a1);
                case SystemCallNumbers.Kill: return LinuxSignals.Kill((int)a0, (int)a1);
                case SystemCallNumbers.Tkill: return LinuxSignals.ThreadKill(-1, (int)a0, (int)a1);
                case SystemCallNumbers.Tgkill: return LinuxSignals.ThreadKill((int)a0, (int)a1, (int)a2);
                case SystemCallNumbers.Getuid:
                case SystemCallNumbers.Geteuid:
                case SystemCallNumbers.Getgid:
                case SystemCallNumbers.Getegid:
                case SystemCallNumbers.Getppid: return 0;
                case SystemCallNumbers.Setuid:
                case SystemCallNumbers.Setgid: return LinuxProcessCalls.SetIdentity(a0);
                case SystemCallNumbers.Getpgrp: return ProcessId;
                case SystemCallNumbers.Getpgid:
                case SystemCallNumbers.Getsid: return LinuxProcessCalls.ProcessGroup(a0);
                case SystemCallNumbers.Setpgid: return LinuxProcessCalls.SetProcessGroup(a0, a1);
                case SystemCallNumbers.Setsid: return -Errno.EPERM; // already the leader of its session
                case SystemCallNumbers.Prlimit64: return LinuxProcessCalls.ResourceLimit(a0, (int)a1, (ulong*)a2, (ulong*)frame->Argument3);
                case SystemCallNumbers.Getrlimit: return LinuxProcessCalls.ResourceLimit(0, (int)a0, null, (ulong*)a1);
                case SystemCallNumbers.Setrlimit: return LinuxProcessCalls.ResourceLimit(0, (int)a0, (ulong*)a1, null);
                case SystemCallNumbers.SchedGetaffinity: return LinuxProcessCalls.GetAffinity(a0, (ulong)a1, (byte*)a2);
                case SystemCallNumbers.SchedSetaffinity: return LinuxProcessCalls.SetAffinity(a0, (ulong)a1, (byte*)a2);
                case SystemCallNumbers.Getcpu: return LinuxProcessCalls.GetCpu((uint*)a0, (uint*)a1);
                case SystemCallNumbers.Getrandom: return LinuxProcessCalls.GetRandom((byte*)a0, (ulong)a1, (uint)a2);
                case SystemCallNumbers.Gettimeofday: return LinuxProcessCalls.TimeOfDay((long*)a0, (int*)a1);
                case SystemCallNumbers.Time: return LinuxProcessCalls.Time((long*)a0);
                case SystemCallNumbers.ClockNanosleep: return LinuxProcessCalls.ClockSleep((int)a0, (int)a1, (TimeSpec*)a2, (TimeSpec*)frame->Argument3);
                default: return Unknown(frame->Number);
            }
        }

        /// <summary>
        /// What exit_group does: set by whoever runs the application (its status becomes the VM's);
        /// without one, the VM exits with the status.
        /// </summary>
        public static delegate*<int, void> ProcessExit;

        private static void ExitProcess(int status)
        {
            if (ProcessExit != null)
                ProcessExit(status);
            if (LinuxThreads.Current != null)
                LinuxThreads.EndProgram(status);
            ProgramExitStatus.ExitVm(status);
        }

        /// <summary>A call (or a variant of one) the kernel does not offer: <paramref name="error"/> and, with --verbose, one line saying why.</summary>
        public static long NotSupported(long number, string what, long error = -Errno.ENOSYS)
        {
            if (s_verbose)
            {
                KernelConsole.Write("syscall ");
                KernelConsole.WriteDecimal((ulong)number);
                KernelConsole.Write(": ");
                KernelConsole.Write(what);
                KernelConsole.WriteLine(error == -Errno.ENOSYS ? " (-ENOSYS)" : " (-EINVAL)");
            }
            return error;
        }

        private const int ArchSetFs = 0x1002;
        private const int ArchGetFs = 0x1003;

        /// <summary>arch_prctl: the thread pointer (%fs) of the calling thread; %gs is the kernel's (-EINVAL).</summary>
        private static long ArchPrctl(int code, ulong address)
        {
            if (code == ArchSetFs)
            {
                if (address >= 0x0000_8000_0000_0000)
                    return -Errno.EPERM;
                Scheduler.SetThreadPointer(address);
                return 0;
            }
            if (code == ArchGetFs)
            {
                if (!UserMemory.IsWritable((void*)address, 8))
                    return -Errno.EFAULT;
                *(ulong*)address = Cpu.ReadMsr(Cpu.MsrFsBase);
                return 0;
            }
            return -Errno.EINVAL;
        }

        /// <summary>The one process: Linux programs only compare it, and 0 would read as "no process".</summary>
        public const int ProcessId = 1;

        private static long Unknown(long number)
        {
            if (s_verbose)
            {
                KernelConsole.Write("syscall ");
                KernelConsole.WriteDecimal((ulong)number);
                KernelConsole.WriteLine(": not implemented (-ENOSYS)");
            }
            return -Errno.ENOSYS;
        }

        private const int ClockRealtime = 0;
        private const int ClockMonotonic = 1;
        private const int ClockProcessCpuTime = 2;
        private const int ClockThreadCpuTime = 3;
        private const int ClockMonotonicRaw = 4;
        private const int ClockRealtimeCoarse = 5;
        private const int ClockMonotonicCoarse = 6;
        private const int ClockBoottime = 7;

        private static long ClockGetTime(int clock, TimeSpec* result)
        {
            ulong now = TscClock.NanosecondsSinceBoot;
            ulong nanoseconds;
            switch (clock)
            {
                case ClockRealtime:
                case ClockRealtimeCoarse:
                    nanoseconds = s_bootUnixSeconds * 1000000000UL + now;
                    break;
                case ClockMonotonic:
                case ClockMonotonicRaw:
                case ClockMonotonicCoarse:
                case ClockBoottime:
                case ClockProcessCpuTime: // one process, and no per-thread CPU accounting yet: time since boot bounds both
                case ClockThreadCpuTime:
                    nanoseconds = now;
                    break;
                default:
                    return -Errno.EINVAL;
            }
            if (!UserMemory.IsWritable(result, (ulong)sizeof(TimeSpec)))
                return -Errno.EFAULT;
            result->Seconds = (long)(nanoseconds / 1000000000UL);
            result->Nanoseconds = (long)(nanoseconds % 1000000000UL);
            return 0;
        }

        private static long ClockGetResolution(int clock, TimeSpec* result)
        {
            if (clock < ClockRealtime || clock > ClockBoottime)
                return -Errno.EINVAL;
            if (result == null)
                return 0;
            if (!UserMemory.IsWritable(result, (ulong)sizeof(TimeSpec)))
                return -Errno.EFAULT;
            result->Seconds = 0;
            result->Nanoseconds = 1;
            return 0;
        }

        /// <summary>
        /// An application's `struct timespec` in nanoseconds (capped at 2^63: centuries): 0, -EFAULT
        /// (unreadable) or -EINVAL (negative, or nanoseconds out of range).
        /// </summary>
        public static long ReadTimeSpec(TimeSpec* time, out ulong nanoseconds)
        {
            nanoseconds = 0;
            if (!UserMemory.IsReadable(time, (ulong)sizeof(TimeSpec)))
                return -Errno.EFAULT;
            TimeSpec value = *time;
            if (value.Seconds < 0 || value.Nanoseconds < 0 || value.Nanoseconds >= 1000000000L)
                return -Errno.EINVAL;
            nanoseconds = (ulong)value.Seconds > (ulong.MaxValue / 2) / 1000000000UL
                ? ulong.MaxValue / 2
                : (ulong)value.Seconds * 1000000000UL + (ulong)value.Nanoseconds;
            return 0;
        }

        private static long Nanosleep(TimeSpec* request, TimeSpec* remaining)
        {
            long error = ReadTimeSpec(request, out ulong nanoseconds);
            if (error != 0)
                return error;
            if (nanoseconds != 0)
                Scheduler.Sleep(nanoseconds);
            else
                Scheduler.Yield();
            if (remaining != null && UserMemory.IsWritable(remaining, (ulong)sizeof(TimeSpec)))
            {
                remaining->Seconds = 0; // no signals interrupt a sleep yet
                remaining->Nanoseconds = 0;
            }
            return 0;
        }

        private const int UtsFieldLength = 65;

        private static long Uname(byte* buffer)
        {
            if (!UserMemory.IsWritable(buffer, 6 * UtsFieldLength))
                return -Errno.EFAULT;
            PutField(buffer, 0, "Linux");
            PutField(buffer, 1, "osv");
            PutField(buffer, 2, "5.15.0-osv");
            PutField(buffer, 3, "#1 SMP");
            PutField(buffer, 4, "x86_64");
            PutField(buffer, 5, "(none)");
            return 0;
        }

        private static void PutField(byte* buffer, int index, string text)
        {
            byte* field = buffer + index * UtsFieldLength;
            int i = 0;
            for (; i < text.Length && i < UtsFieldLength - 1; i++)
                field[i] = (byte)text[i];
            for (; i < UtsFieldLength; i++)
                field[i] = 0;
        }
    }

    /// <summary>Linux `struct timespec` on x86-64.</summary>
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
