using System.Runtime.InteropServices;
using System.Threading;
using Osv.Arch.X64;
using Osv.Core.Console;
using Osv.Core.Threads;

namespace Osv.Core.Linux
{
    /// <summary>
    /// The running programs' threads as Linux sees them: clone (threads only: the flags musl's and
    /// glibc's pthread_create pass), exit of one thread, exit_group of all, set_tid_address and the
    /// CHILD_CLEARTID wake-up, set_robust_list. Each program thread has a record (its program, tid,
    /// clear-tid address, signal mask and pending signals, alternate signal stack, the futex word it
    /// sleeps on); the runner waits until no record of the program is alive.
    /// <para>
    /// Several programs may run at once (`&amp;` on the command line): each has a slot (1..MaxPrograms)
    /// with its live-thread count, whether it is ending, its status and the signal that ended it; a
    /// clone child belongs to its parent's program. They share one process (one pid, one signal
    /// disposition table, one file table), as OSv's applications do.
    /// </para>
    /// <para>
    /// exit_group marks the caller's program as ending: its other threads end at their next system
    /// call, those asleep in futex are woken for it, and one that runs in its own code without system
    /// calls ends at its next interrupt (EndingProgramThreads). One that sleeps elsewhere in the kernel
    /// (nanosleep) ends when it wakes; the runner gives up waiting after a while.
    /// </para>
    /// </summary>
    public static unsafe class LinuxThreads
    {
        public const int MaxThreads = 1024;

        internal struct Record
        {
            public int Used;
            public int Id;
            public int Program;
            public int* ClearChildTid;
            public ulong SignalMask;
            public ulong PendingSignals;
            public ulong AltStack;
            public ulong AltStackSize;
            public int AltStackFlags;
            public int* WaitingOn;
            public ulong RobustList;
            public int Uncounted;          // a thread the kernel's C library started: not in its program's live count
            public int SignalWakeups;      // bumped by every signal sent to the thread; rt_sigsuspend sleeps on it
            public ulong SuspendedMask;    // the mask rt_sigsuspend replaced, for the handler's frame
            public int SuspendedMaskValid;
        }

        /// <summary>Programs that can run at once; program ids are 1..MaxPrograms (0: no program).</summary>
        public const int MaxPrograms = 16;

        private struct ProgramSlot
        {
            public int Used;
            public int Live;
            public int Ending;
            public int Status;
            public int Signal;
        }

        private static Record* s_records;
        private static int s_highWater;
        private static ProgramSlot* s_programs; // index 0 stands for threads of no program (kernel tests)
        private static int s_endingPrograms;     // slots marked ending and not yet released: the syscall fast path
        private static int s_loading;            // the program the runner is loading: a thread without a record acts for it

        /// <summary>Wakes up to n sleepers on a futex word (set by the layer that implements futex); how many woke.</summary>
        public static delegate*<int*, int, int> FutexWake;

        /// <summary>Sleeps while the word holds the value, until a <see cref="FutexWake"/> (set by the same layer).</summary>
        public static delegate*<int*, int, void> FutexWait;

        internal static void Initialize()
        {
            s_records = (Record*)NativeMemory.AllocZeroed((nuint)(MaxThreads * sizeof(Record)));
            s_programs = (ProgramSlot*)NativeMemory.AllocZeroed((nuint)((MaxPrograms + 1) * sizeof(ProgramSlot)));
            s_programs[0].Used = 1;
            Memory.ApplicationMemory.UseOwnerSource(&CurrentProgramId);
        }

        /// <summary>
        /// A new program: a free slot with no threads, not ending, status 0, which the calling (runner)
        /// thread loads the program for. With no other program alive, the signal actions go back to
        /// their defaults. Returns the program's id, or 0 when <see cref="MaxPrograms"/> already run.
        /// </summary>
        public static int BeginProgram()
        {
            bool othersAlive = false;
            for (int id = 1; id <= MaxPrograms; id++)
                othersAlive |= Volatile.Read(ref s_programs[id].Used) != 0;
            for (int id = 1; id <= MaxPrograms; id++)
            {
                if (Interlocked.CompareExchange(ref s_programs[id].Used, 1, 0) != 0)
                    continue;
                ProgramSlot* slot = &s_programs[id];
                Volatile.Write(ref slot->Live, 0);
                Volatile.Write(ref slot->Ending, 0);
                slot->Status = 0;
                slot->Signal = 0;
                if (!othersAlive)
                    LinuxSignals.Reset();
                Volatile.Write(ref s_loading, id);
                return id;
            }
            return 0;
        }

        /// <summary>The runner is done with program <paramref name="id"/> (its threads ended or were given up on): the slot is free again.</summary>
        public static void ReleaseProgram(int id)
        {
            if (id < 1 || id > MaxPrograms)
                return;
            Interlocked.CompareExchange(ref s_loading, 0, id);
            if (Interlocked.Exchange(ref s_programs[id].Ending, 0) != 0)
                Interlocked.Decrement(ref s_endingPrograms);
            Volatile.Write(ref s_programs[id].Used, 0);
        }

        /// <summary>Makes the calling thread program <paramref name="program"/>'s (main) thread; false if the table is full.</summary>
        public static bool AttachCurrent(int program)
        {
            Record* record = Allocate();
            if (record == null)
                return false;
            record->Program = program;
            Interlocked.Increment(ref s_programs[program].Live);
            Volatile.Write(ref record->Id, Scheduler.CurrentId);
            return true;
        }

        /// <summary>
        /// Gives the calling thread, which the kernel's C library started for program
        /// <paramref name="program"/> (pthread_create), a record with <paramref name="signalMask"/>: its
        /// signals, faults and end work as a clone'd thread's. It stays out of the program's live count:
        /// the runner waits for the main thread only, as it did before such threads had records.
        /// False when the table is full.
        /// </summary>
        public static bool AttachCreatedThread(int program, ulong signalMask)
        {
            Record* record = Allocate();
            if (record == null)
                return false;
            record->Program = program;
            record->Uncounted = 1;
            record->SignalMask = signalMask;
            Volatile.Write(ref record->Id, Scheduler.CurrentId);
            return true;
        }

        /// <summary>The calling thread leaves its program without ending (its C library thread function returned); its record goes.</summary>
        public static void DetachCurrent()
        {
            Record* record = Current;
            if (record == null)
                return;
            int program = record->Program;
            bool counted = record->Uncounted == 0;
            Release(record);
            if (counted)
                Interlocked.Decrement(ref s_programs[program].Live);
        }

        /// <summary>The calling thread's program: its record's, else the one being loaded (0: none).</summary>
        public static int CurrentProgram
        {
            get
            {
                Record* record = Current;
                return record != null ? record->Program : Volatile.Read(ref s_loading);
            }
        }

        private static int CurrentProgramId() => CurrentProgram;

        /// <summary>Threads of program <paramref name="id"/> alive.</summary>
        public static int Live(int id) => Volatile.Read(ref s_programs[id].Live);

        /// <summary>Whether some program is ending (the system call path's quick test).</summary>
        public static bool Ending => Volatile.Read(ref s_endingPrograms) != 0;

        /// <summary>Whether exit_group (or a fatal signal) has ended program <paramref name="id"/>.</summary>
        public static bool IsEnding(int id) => Volatile.Read(ref s_programs[id].Ending) != 0;

        /// <summary>The status exit_group gave program <paramref name="id"/> (0..255; 128+signal for a fatal signal).</summary>
        public static int ExitStatus(int id) => s_programs[id].Status;

        /// <summary>The signal whose default action ended program <paramref name="id"/> (0: it exited).</summary>
        public static int TerminatingSignal(int id) => s_programs[id].Signal;

        /// <summary>
        /// After its main thread ended: waits until every thread of program <paramref name="id"/> has;
        /// after exit_group, wakes the ones asleep in futex as it goes and gives up after
        /// <paramref name="patienceNanoseconds"/>. True when none is left.
        /// </summary>
        public static bool WaitForProgramEnd(int id, ulong patienceNanoseconds)
        {
            ulong waited = 0;
            while (Live(id) > 0)
            {
                if (IsEnding(id))
                {
                    WakeSleepers(id);
                    if (waited >= patienceNanoseconds)
                    {
                        KernelConsole.Write("Warning: ");
                        KernelConsole.WriteDecimal((ulong)Live(id));
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
            record->Program = 0;
            record->ClearChildTid = null;
            record->PendingSignals = 0;
            record->WaitingOn = null;
            // The next thread given this record starts with none of this one's signal state.
            record->SignalMask = 0;
            record->AltStack = 0;
            record->AltStackSize = 0;
            record->AltStackFlags = 0;
            record->RobustList = 0;
            record->Uncounted = 0;
            record->SuspendedMask = 0;
            record->SuspendedMaskValid = 0;
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
            return !IsEnding(record->Program);
        }

        /// <summary>Sleeps while *<paramref name="word"/> == <paramref name="value"/> (a wake-up may be spurious); between <see cref="BeginWait"/> and <see cref="EndWait"/>.</summary>
        internal static void WaitWhile(int* word, int value)
        {
            if (FutexWait != null)
                FutexWait(word, value);
            else
                Scheduler.Sleep(1000000); // no futex layer (host-side use): poll
        }

        /// <summary>Wakes every thread asleep on <paramref name="word"/>.</summary>
        internal static void WakeAll(int* word)
        {
            if (FutexWake != null)
                FutexWake(word, int.MaxValue);
        }

        public static void EndWait()
        {
            Record* record = Current;
            if (record != null)
                record->WaitingOn = null;
        }

        /// <summary>Wakes the threads of program <paramref name="id"/> asleep in futex (so they see it ending).</summary>
        private static void WakeSleepers(int id)
        {
            int count = Volatile.Read(ref s_highWater);
            for (int i = 0; i < count; i++)
            {
                Record* record = &s_records[i];
                int* address = record->WaitingOn;
                if (Volatile.Read(ref record->Id) != 0 && record->Program == id && address != null && FutexWake != null)
                    FutexWake(address, int.MaxValue);
            }
        }

        /// <summary>Whether the calling thread is a program thread whose program is ending.</summary>
        internal static bool IsCurrentProgramEnding
        {
            get
            {
                Record* record = Current;
                return record != null && IsEnding(record->Program);
            }
        }

        /// <summary>Called on every system call while some program ends: a thread of an ending program ends here.</summary>
        internal static void EndIfProgramEnding()
        {
            Record* record = Current;
            if (record != null && IsEnding(record->Program))
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
                int program = record->Program;
                bool counted = record->Uncounted == 0;
                Release(record);
                if (counted)
                    Interlocked.Decrement(ref s_programs[program].Live);
            }
            Scheduler.SetThreadPointer(0);
            Scheduler.Exit();
        }

        /// <summary>A fatal signal: the caller's program ends with status 128+signal, as a shell reports it.</summary>
        public static void EndProgramBySignal(int signal) => End(CurrentProgram, 128 + signal, signal);

        /// <summary>exit_group (or a fatal signal): the caller's program ends with <paramref name="status"/>; the calling thread ends now.</summary>
        public static void EndProgram(int status) => End(CurrentProgram, status, 0);

        private static void End(int id, int status, int signal)
        {
            ProgramSlot* slot = &s_programs[id];
            if (Interlocked.CompareExchange(ref slot->Ending, 1, 0) == 0)
            {
                slot->Status = status & 0xFF;
                slot->Signal = signal;
                Interlocked.Increment(ref s_endingPrograms);
            }
            WakeSleepers(id);
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
            record->Program = parent != null ? parent->Program : CurrentProgram;
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

            Interlocked.Increment(ref s_programs[record->Program].Live);
            KernelThread? thread = Scheduler.Create(&StartChild, start, ChildKernelStack, -1);
            if (thread == null)
            {
                Interlocked.Decrement(ref s_programs[record->Program].Live);
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
