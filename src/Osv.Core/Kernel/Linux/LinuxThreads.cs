using System.Runtime.InteropServices;
using System.Threading;
using Osv.Arch.X64;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Core.Linux
{
    /// <summary>
    /// The running program's threads as Linux sees them: clone (threads only: the flags musl's and
    /// glibc's pthread_create pass), exit of one thread, exit_group of all, set_tid_address and the
    /// CHILD_CLEARTID wake-up, set_robust_list. Each program thread has a record (its tid, clear-tid
    /// address, signal mask and pending signals, alternate signal stack, the futex word it sleeps on);
    /// the runner waits until no record is alive.
    /// <para>
    /// exit_group marks the program as ending: every other thread ends at its next system call, and
    /// threads asleep in futex are woken for it. A thread that spins in user code without system calls
    /// is not stopped (the runner gives up waiting for it after a while).
    /// </para>
    /// </summary>
    public static unsafe class LinuxThreads
    {
        public const int MaxThreads = 1024;

        internal struct Record
        {
            public int Used;
            public int Id;
            public int* ClearChildTid;
            public ulong SignalMask;
            public ulong PendingSignals;
            public ulong AltStack;
            public ulong AltStackSize;
            public int AltStackFlags;
            public int* WaitingOn;
            public ulong RobustList;
        }

        private static Record* s_records;
        private static int s_highWater;
        private static int s_live;
        private static int s_ending;
        private static int s_status;

        /// <summary>Wakes up to n sleepers on a futex word (set by the layer that implements futex); how many woke.</summary>
        public static delegate*<int*, int, int> FutexWake;

        internal static void Initialize()
        {
            s_records = (Record*)NativeMemory.AllocZeroed((nuint)(MaxThreads * sizeof(Record)));
        }

        /// <summary>A new program: no threads yet, not ending, status 0, default signal actions.</summary>
        public static void BeginProgram()
        {
            for (int i = 0; i < MaxThreads; i++)
                s_records[i] = default;
            s_highWater = 0;
            Volatile.Write(ref s_live, 0);
            Volatile.Write(ref s_ending, 0);
            s_status = 0;
            s_signal = 0;
            LinuxSignals.Reset();
        }

        /// <summary>Makes the calling thread the program's (main) thread; false if the table is full.</summary>
        public static bool AttachCurrent()
        {
            Record* record = Allocate();
            if (record == null)
                return false;
            Interlocked.Increment(ref s_live);
            Volatile.Write(ref record->Id, Scheduler.CurrentId);
            return true;
        }

        /// <summary>Program threads alive.</summary>
        public static int Live => Volatile.Read(ref s_live);

        /// <summary>Whether exit_group (or a fatal signal) has ended the program.</summary>
        public static bool Ending => Volatile.Read(ref s_ending) != 0;

        /// <summary>The status exit_group gave (0..255; 128+signal for a fatal signal).</summary>
        public static int ExitStatus => s_status;

        /// <summary>
        /// After the main thread ended: waits until every program thread has; after exit_group, wakes the
        /// ones asleep in futex as it goes and gives up after <paramref name="patienceNanoseconds"/>.
        /// True when none is left.
        /// </summary>
        public static bool WaitForProgramEnd(ulong patienceNanoseconds)
        {
            ulong waited = 0;
            while (Live > 0)
            {
                if (Ending)
                {
                    WakeSleepers();
                    if (waited >= patienceNanoseconds)
                    {
                        KernelConsole.Write("Warning: ");
                        KernelConsole.WriteDecimal((ulong)Live);
                        KernelConsole.WriteLine(" thread(s) of the program did not end after exit_group; its memory stays mapped");
                        return false;
                    }
                }
                Scheduler.Sleep(500000);
                waited += 500000;
            }
            return true;
        }

        internal static Record* Allocate()
        {
            for (int i = 0; i < MaxThreads; i++)
            {
                if (Interlocked.CompareExchange(ref s_records[i].Used, 1, 0) == 0)
                {
                    Record* record = &s_records[i];
                    int used = i + 1;
                    int seen;
                    while ((seen = Volatile.Read(ref s_highWater)) < used && Interlocked.CompareExchange(ref s_highWater, used, seen) != seen)
                    {
                    }
                    return record;
                }
            }
            return null;
        }

        private static void Release(Record* record)
        {
            Volatile.Write(ref record->Id, 0);
            record->ClearChildTid = null;
            record->PendingSignals = 0;
            record->WaitingOn = null;
            Volatile.Write(ref record->Used, 0);
        }

        /// <summary>The record of thread <paramref name="id"/>, or null (not a program thread).</summary>
        internal static Record* Find(int id)
        {
            if (id == 0 || s_records == null)
                return null;
            int count = Volatile.Read(ref s_highWater);
            for (int i = 0; i < count; i++)
            {
                if (Volatile.Read(ref s_records[i].Id) == id)
                    return &s_records[i];
            }
            return null;
        }

        internal static Record* Current => Find(Scheduler.CurrentId);

        /// <summary>Calls <paramref name="visit"/> for every live record.</summary>
        internal static void ForEach(delegate*<Record*, void> visit)
        {
            int count = Volatile.Read(ref s_highWater);
            for (int i = 0; i < count; i++)
            {
                if (Volatile.Read(ref s_records[i].Id) != 0)
                    visit(&s_records[i]);
            }
        }

        /// <summary>futex wait bookkeeping: false (do not sleep) when the program is ending.</summary>
        public static bool BeginWait(int* address)
        {
            Record* record = Current;
            if (record == null)
                return true;
            Interlocked.Exchange(ref *(long*)&record->WaitingOn, (long)address);
            return !Ending;
        }

        public static void EndWait()
        {
            Record* record = Current;
            if (record != null)
                record->WaitingOn = null;
        }

        private static void WakeSleepers() => ForEach(&WakeOne);

        private static void WakeOne(Record* record)
        {
            int* address = record->WaitingOn;
            if (address != null && FutexWake != null)
                FutexWake(address, int.MaxValue);
        }

        /// <summary>Called on every system call while the program ends: a program thread ends here.</summary>
        internal static void EndIfProgramEnding()
        {
            if (Ending && Current != null)
                ExitThread();
        }

        /// <summary>exit: ends the calling thread (CHILD_CLEARTID: its tid word becomes 0 and one waiter wakes).</summary>
        public static void ExitThread()
        {
            Record* record = Current;
            if (record != null)
            {
                int* clear = record->ClearChildTid;
                if (clear != null && UserMemory.IsWritable(clear, 4))
                {
                    Volatile.Write(ref *clear, 0);
                    if (FutexWake != null)
                        FutexWake(clear, 1);
                }
                Release(record);
                Interlocked.Decrement(ref s_live);
            }
            Scheduler.SetThreadPointer(0);
            Scheduler.Exit();
        }

        /// <summary>The signal whose default action ended the program (0: it exited).</summary>
        public static int TerminatingSignal => s_signal;

        private static int s_signal;

        /// <summary>A fatal signal: the program ends with status 128+signal, as a shell reports it.</summary>
        public static void EndProgramBySignal(int signal)
        {
            if (!Ending)
                s_signal = signal;
            EndProgram(128 + signal);
        }

        /// <summary>exit_group (or a fatal signal): the program ends with <paramref name="status"/>; the calling thread ends now.</summary>
        public static void EndProgram(int status)
        {
            if (Interlocked.CompareExchange(ref s_ending, 1, 0) == 0)
                s_status = status & 0xFF;
            WakeSleepers();
            ExitThread();
        }

        internal static long SetTidAddress(int* address)
        {
            Record* record = Current;
            if (record != null)
                record->ClearChildTid = address;
            return Scheduler.CurrentId;
        }

        internal static long SetRobustList(ulong head, ulong length)
        {
            if (length != 24) // sizeof(struct robust_list_head)
                return -Errno.EINVAL;
            Record* record = Current;
            if (record != null)
                record->RobustList = head;
            return 0;
        }

        private const ulong CloneVm = 0x100;
        private const ulong CloneFs = 0x200;
        private const ulong CloneFiles = 0x400;
        private const ulong CloneSighand = 0x800;
        private const ulong CloneThread = 0x10000;
        private const ulong CloneSysvsem = 0x40000;
        private const ulong CloneSettls = 0x80000;
        private const ulong CloneParentSettid = 0x100000;
        private const ulong CloneChildCleartid = 0x200000;
        private const ulong CloneDetached = 0x400000;
        private const ulong CloneChildSettid = 0x1000000;
        private const ulong CloneRequired = CloneVm | CloneFs | CloneFiles | CloneSighand | CloneThread;
        private const ulong CloneAllowed = CloneRequired | CloneSysvsem | CloneSettls | CloneParentSettid | CloneChildCleartid | CloneDetached | CloneChildSettid;

        /// <summary>The stack a clone child's kernel side reserves (lazy: only its first page is touched).</summary>
        private const ulong ChildKernelStack = 64 * 1024;

        private struct CloneStart
        {
            public ThreadStartRegisters Registers;
            public ulong ThreadPointer;
            public Record* Record;
            public int* ChildTid;
            public ulong Flags;
            public int Ready;
        }

        /// <summary>
        /// clone for threads: a new scheduler thread that resumes after the parent's `syscall` with
        /// rax = 0 on <paramref name="stack"/>; the child's tid, or -EINVAL/-ENOSYS/-EAGAIN.
        /// </summary>
        internal static long Clone(SystemCallFrame* frame)
        {
            ulong flags = (ulong)frame->Argument0;
            ulong stack = (ulong)frame->Argument1;
            int* parentTid = (int*)frame->Argument2;
            int* childTid = (int*)frame->Argument3;
            ulong tls = (ulong)frame->Argument4;
            if ((flags & CloneVm) == 0)
                return LinuxSystemCalls.NotSupported(SystemCallNumbers.Clone, "clone without CLONE_VM (fork): one address space");
            if ((flags & CloneRequired) != CloneRequired || (flags & ~(CloneAllowed | 0xFF)) != 0 || stack == 0)
                return LinuxSystemCalls.NotSupported(SystemCallNumbers.Clone, "clone flags other than a thread's", -Errno.EINVAL);
            if ((flags & CloneParentSettid) != 0 && !UserMemory.IsWritable(parentTid, 4))
                return -Errno.EFAULT;
            if ((flags & (CloneChildSettid | CloneChildCleartid)) != 0 && !UserMemory.IsWritable(childTid, 4))
                return -Errno.EFAULT;
            Record* parent = Current;
            Record* record = Allocate();
            if (record == null)
                return -Errno.EAGAIN;
            record->SignalMask = parent != null ? parent->SignalMask : 0;
            record->ClearChildTid = (flags & CloneChildCleartid) != 0 ? childTid : null;

            CloneStart* start = (CloneStart*)NativeMemory.AllocZeroed((nuint)sizeof(CloneStart));
            if (start == null)
            {
                Volatile.Write(ref record->Used, 0);
                return -Errno.EAGAIN;
            }
            SystemCallRegisters* saved = SystemCallFrame.SavedRegisters(frame);
            start->Registers.Rbx = saved->Rbx;
            start->Registers.Rbp = saved->Rbp;
            start->Registers.R12 = saved->R12;
            start->Registers.R13 = saved->R13;
            start->Registers.R14 = saved->R14;
            start->Registers.R15 = saved->R15;
            start->Registers.Rdi = (ulong)frame->Argument0;
            start->Registers.Rsi = (ulong)frame->Argument1;
            start->Registers.Rdx = (ulong)frame->Argument2;
            start->Registers.R10 = (ulong)frame->Argument3;
            start->Registers.R8 = (ulong)frame->Argument4;
            start->Registers.R9 = (ulong)frame->Argument5;
            start->Registers.Flags = frame->Flags;
            start->Registers.Rip = frame->ReturnAddress;
            start->Registers.Rsp = stack;
            start->ThreadPointer = (flags & CloneSettls) != 0 ? tls : Cpu.ReadMsr(Cpu.MsrFsBase);
            start->Record = record;
            start->ChildTid = childTid;
            start->Flags = flags;

            Interlocked.Increment(ref s_live);
            KernelThread? thread = Scheduler.Create(&StartChild, start, ChildKernelStack, -1);
            if (thread == null)
            {
                Interlocked.Decrement(ref s_live);
                NativeMemory.Free(start);
                Volatile.Write(ref record->Used, 0);
                return -Errno.EAGAIN;
            }
            int id = thread.Id;
            Scheduler.Detach(thread);
            // The child waits for Ready: its tid is in place (PARENT_SETTID, the record) before it runs.
            Volatile.Write(ref record->Id, id);
            if ((flags & CloneParentSettid) != 0)
                Volatile.Write(ref *parentTid, id);
            if ((flags & CloneChildSettid) != 0)
                Volatile.Write(ref *childTid, id);
            Volatile.Write(ref start->Ready, 1);
            return id;
        }

        private static void StartChild(void* argument)
        {
            CloneStart* shared = (CloneStart*)argument;
            while (Volatile.Read(ref shared->Ready) == 0)
                Scheduler.Yield();
            CloneStart start = *shared;
            NativeMemory.Free(shared);
            Scheduler.SetThreadPointer(start.ThreadPointer);
            SystemCallEntry.EnterClonedThread(&start.Registers);
        }
    }
}
