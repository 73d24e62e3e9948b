using System.Threading;
using Osv.Arch.X64;
using Osv.Arch.X64.Interrupts;
using Osv.Core.Threads;

namespace Osv.Core.Linux
{
    /// <summary>
    /// Minimal signals: rt_sigaction (64 actions), a per-thread mask (rt_sigprocmask, rt_sigpending, rt_sigsuspend), sigaltstack,
    /// kill/tkill/tgkill within the program. A signal becomes pending on its thread and is delivered
    /// when that thread returns from a system call with the signal unblocked — for a signal a thread
    /// sends itself (raise, abort), that is the return of the kill or of the sigprocmask that unblocks
    /// it. Delivery builds a Linux rt_sigframe (restorer address, ucontext with the registers, siginfo)
    /// below the caller's red zone (or on the alternate stack for SA_ONSTACK) and returns into the
    /// handler; rt_sigreturn restores the general registers and the mask. Default actions: ignore
    /// (SIGCHLD, SIGURG, SIGWINCH, SIGCONT, the stop signals) or end the program with status 128+signal.
    /// The frame holds the SSE state too (an fxsave image that uc_mcontext.fpregs points at), and
    /// rt_sigreturn gives back every register, rcx and r11 included, so a handler that returns resumes
    /// faulting code exactly. rt_sigsuspend sleeps until a sender wakes it.
    /// Limits: no asynchronous delivery (timers raise no signals; a thread that never makes a system
    /// call never sees one), no handler without SA_RESTORER (musl and glibc always set it). The
    /// kernel's C library, called without the `syscall` entry, passes through it once to deliver
    /// (Osv.Kernel/Libc/Signals/SignalDelivery.cs); its threads (pthread_create) have records too.
    /// </summary>
    public static unsafe class LinuxSignals
    {
        public const int SignalCount = 64;
        private const int SigKill = 9;
        private const int SigStop = 19;
        private const ulong SigDefault = 0;
        private const ulong SigIgnore = 1;
        private const ulong SaSiginfo = 4;
        private const ulong SaOnstack = 0x08000000;
        private const ulong SaRestorer = 0x04000000;
        private const ulong SaNodefer = 0x40000000;
        private const ulong SaResethand = 0x80000000;
        private const int SsOnstack = 1;
        private const int SsDisable = 2;
        private const ulong Unblockable = (1UL << (SigKill - 1)) | (1UL << (SigStop - 1));

        private static KernelSigaction* s_actions;
        private static int s_pending; // threads with a pending signal (fast path of the syscall return)

        internal static void Initialize()
        {
            s_actions = (KernelSigaction*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(SignalCount * sizeof(KernelSigaction)));
        }

        internal static void Reset()
        {
            for (int i = 0; i < SignalCount; i++)
                s_actions[i] = default;
            Volatile.Write(ref s_pending, 0);
        }

        private static ulong Bit(int signal) => 1UL << (signal - 1);

        internal static long Action(int signal, KernelSigaction* action, KernelSigaction* old, ulong setSize)
        {
            if (signal < 1 || signal > SignalCount || setSize != 8)
                return -Errno.EINVAL;
            if (action != null && !UserMemory.IsReadable(action, (ulong)sizeof(KernelSigaction)))
                return -Errno.EFAULT;
            if (old != null && !UserMemory.IsWritable(old, (ulong)sizeof(KernelSigaction)))
                return -Errno.EFAULT;
            if (action != null && (signal == SigKill || signal == SigStop))
                return -Errno.EINVAL;
            KernelSigaction previous = s_actions[signal - 1];
            if (action != null)
                s_actions[signal - 1] = *action;
            if (old != null)
                *old = previous;
            return 0;
        }

        internal static long ProcMask(int how, ulong* set, ulong* old, ulong setSize)
        {
            if (setSize != 8)
                return -Errno.EINVAL;
            if (set != null && !UserMemory.IsReadable(set, 8))
                return -Errno.EFAULT;
            if (old != null && !UserMemory.IsWritable(old, 8))
                return -Errno.EFAULT;
            if (set != null && (how < 0 || how > 2))
                return -Errno.EINVAL;
            LinuxThreads.Record* record = LinuxThreads.Current;
            ulong mask = record != null ? record->SignalMask : 0;
            if (old != null)
                *old = mask;
            if (set != null && record != null)
            {
                ulong value = *set;
                mask = how == 0 ? mask | value : how == 1 ? mask & ~value : value;
                record->SignalMask = mask & ~Unblockable;
            }
            return 0;
        }

        /// <summary>rt_sigpending: the calling thread's signals that wait for their unblocking.</summary>
        internal static long Pending(ulong* set, ulong setSize)
        {
            if (setSize != 8)
                return -Errno.EINVAL;
            if (!UserMemory.IsWritable(set, 8))
                return -Errno.EFAULT;
            LinuxThreads.Record* record = LinuxThreads.Current;
            *set = record != null ? Volatile.Read(ref record->PendingSignals) : 0;
            return 0;
        }

        /// <summary>
        /// Whether the calling thread has a pending signal its mask lets through: the C library's
        /// functions, called without the `syscall` entry, then pass through it once to deliver it.
        /// False for threads the program does not own (kernel threads have no system-call stack).
        /// </summary>
        public static bool HasDeliverableSignal()
        {
            if (Volatile.Read(ref s_pending) == 0)
                return false;
            LinuxThreads.Record* record = LinuxThreads.Current;
            return record != null && (Volatile.Read(ref record->PendingSignals) & ~record->SignalMask) != 0;
        }

        /// <summary>Whether <paramref name="stackPointer"/> lies on the calling thread's alternate signal stack (sigaltstack).</summary>
        public static bool IsOnAlternateStack(ulong stackPointer)
        {
            LinuxThreads.Record* record = LinuxThreads.Current;
            return record != null && record->AltStackSize != 0
                && stackPointer > record->AltStack && stackPointer <= record->AltStack + record->AltStackSize;
        }

        /// <summary>sigaltstack: `stack_t` is { void* ss_sp; int ss_flags; size_t ss_size; }.</summary>
        internal static long AltStack(ulong* stack, ulong* old)
        {
            const ulong MinimumSize = 2048;
            if (stack != null && !UserMemory.IsReadable(stack, 24))
                return -Errno.EFAULT;
            if (old != null && !UserMemory.IsWritable(old, 24))
                return -Errno.EFAULT;
            LinuxThreads.Record* record = LinuxThreads.Current;
            if (old != null)
            {
                old[0] = record != null ? record->AltStack : 0;
                *(int*)&old[1] = record == null || record->AltStackSize == 0 ? SsDisable : 0;
                *((int*)&old[1] + 1) = 0;
                old[2] = record != null ? record->AltStackSize : 0;
            }
            if (stack != null)
            {
                int flags = *(int*)&stack[1];
                if ((flags & ~SsDisable) != 0)
                    return -Errno.EINVAL;
                if ((flags & SsDisable) == 0 && stack[2] < MinimumSize)
                    return -Errno.ENOMEM;
                if (record != null)
                {
                    record->AltStack = (flags & SsDisable) != 0 ? 0 : stack[0];
                    record->AltStackSize = (flags & SsDisable) != 0 ? 0 : stack[2];
                }
            }
            return 0;
        }

        /// <summary>kill(pid, sig): the program is process <see cref="LinuxSystemCalls.ProcessId"/> (0 and -1 name it too); the calling thread takes the signal.</summary>
        internal static long Kill(int pid, int signal)
        {
            if (pid != LinuxSystemCalls.ProcessId && pid != 0 && pid != -1)
                return -Errno.ESRCH;
            return Send(Scheduler.CurrentId, signal);
        }

        internal static long ThreadKill(int tgid, int tid, int signal)
        {
            if (tgid != -1 && tgid != LinuxSystemCalls.ProcessId)
                return -Errno.ESRCH;
            if (tid <= 0)
                return -Errno.EINVAL;
            return Send(tid, signal);
        }

        private static long Send(int tid, int signal)
        {
            if (signal < 0 || signal > SignalCount)
                return -Errno.EINVAL;
            LinuxThreads.Record* record = LinuxThreads.Find(tid);
            if (record == null && tid != Scheduler.CurrentId)
                return -Errno.ESRCH;
            if (signal == 0)
                return 0;
            if (IsIgnored(signal))
                return 0;
            if (record == null)
            {
                // Not a program thread (a kernel test thread): only a fatal default action can apply.
                return s_actions[signal - 1].Handler == SigDefault ? EndProgram(signal) : 0;
            }
            long before = Interlocked.Or(ref *(long*)&record->PendingSignals, (long)Bit(signal));
            if (before == 0)
                Interlocked.Increment(ref s_pending);
            // A thread in rt_sigsuspend sleeps on this word: the change after the bit wakes it (Suspend reads them in the other order).
            Interlocked.Increment(ref record->SignalWakeups);
            LinuxThreads.WakeAll(&record->SignalWakeups);
            return 0;
        }

        private static bool IsIgnored(int signal)
        {
            ulong handler = s_actions[signal - 1].Handler;
            if (handler == SigIgnore)
                return signal != SigKill && signal != SigStop;
            return handler == SigDefault && IgnoredByDefault(signal);
        }

        private static bool IgnoredByDefault(int signal)
            => signal == 17 || signal == 23 || signal == 28 || signal == 18 || signal == 20 || signal == 21 || signal == 22 || signal == 19;

        private static long EndProgram(int signal)
        {
            LinuxThreads.EndProgramBySignal(signal);
            return 0;
        }

        /// <summary>At every syscall return: delivers the lowest unblocked pending signal of the calling thread. Returns the call's result.</summary>
        internal static long DeliverPending(SystemCallFrame* frame, long result)
        {
            if (Volatile.Read(ref s_pending) == 0)
                return result;
            LinuxThreads.Record* record = LinuxThreads.Current;
            if (record == null)
                return result;
            ulong deliverable = Volatile.Read(ref record->PendingSignals) & ~record->SignalMask;
            if (deliverable == 0)
                return result;
            int signal = 1;
            while ((deliverable & Bit(signal)) == 0)
                signal++;
            long after = Interlocked.And(ref *(long*)&record->PendingSignals, (long)~Bit(signal)) & (long)~Bit(signal);
            if (after == 0)
                Interlocked.Decrement(ref s_pending);
            // After rt_sigsuspend the handler runs under the temporary mask; its frame holds the one to return to.
            ulong interruptedMask = record->SignalMask;
            if (record->SuspendedMaskValid != 0)
            {
                interruptedMask = record->SuspendedMask;
                record->SuspendedMaskValid = 0;
            }
            KernelSigaction action = s_actions[signal - 1];
            if (action.Handler == SigIgnore || (action.Handler == SigDefault && IgnoredByDefault(signal)))
            {
                record->SignalMask = interruptedMask;
                return result;
            }
            if (action.Handler == SigDefault || (action.Flags & SaRestorer) == 0)
                return EndProgram(signal);
            return BuildFrame(frame, record, signal, action, result, interruptedMask);
        }

        /// <summary>
        /// rt_sigsuspend: waits under <paramref name="set"/> until a signal the temporary mask lets
        /// through is pending, then fails with EINTR; the return delivers it (the handler runs under the
        /// temporary mask, and its frame gives back the thread's own mask). Senders wake the thread
        /// (<see cref="Send"/>), as exit_group does; no polling.
        /// </summary>
        internal static long Suspend(ulong* set, ulong setSize)
        {
            if (setSize != 8)
                return -Errno.EINVAL;
            if (!UserMemory.IsReadable(set, 8))
                return -Errno.EFAULT;
            LinuxThreads.Record* record = LinuxThreads.Current;
            if (record == null)
                return -Errno.EINTR; // not a program thread: nothing can ever be sent to it
            record->SuspendedMask = record->SignalMask;
            record->SuspendedMaskValid = 1;
            record->SignalMask = *set & ~Unblockable;
            while (true)
            {
                int seen = Volatile.Read(ref record->SignalWakeups);
                if ((Volatile.Read(ref record->PendingSignals) & ~record->SignalMask) != 0)
                    break;
                if (!LinuxThreads.BeginWait(&record->SignalWakeups))
                    break; // the program ends: the thread ends at its next system call
                LinuxThreads.WaitWhile(&record->SignalWakeups, seen);
            }
            LinuxThreads.EndWait();
            return -Errno.EINTR;
        }

        /// <summary>
        /// After rt_sigsuspend called as a function (the C library's sigsuspend): when no handler took
        /// the thread's own mask back (the signal was ignored, the program ends), it comes back here.
        /// </summary>
        public static void EndSuspend()
        {
            LinuxThreads.Record* record = LinuxThreads.Current;
            if (record != null && record->SuspendedMaskValid != 0)
            {
                record->SignalMask = record->SuspendedMask;
                record->SuspendedMaskValid = 0;
            }
        }

        /// <summary>The calling thread's signal mask (0 for threads the program does not own).</summary>
        public static ulong CurrentMask
        {
            get
            {
                LinuxThreads.Record* record = LinuxThreads.Current;
                return record != null ? record->SignalMask : 0;
            }
        }

        // The rt_sigframe, from the stack pointer the handler starts with: the restorer's address, the
        // ucontext, the siginfo; above them (64-byte aligned, as Linux puts it) the fxsave image that
        // uc_mcontext.fpregs points at.
        private const int UcontextSize = 512; // Linux's 304 bytes, glibc's ucontext_t up to its fpregs copy fits too
        private const int SiginfoSize = 128;
        private const int FpstateSize = SystemCallFrame.SseStateSize;
        private const int McontextOffset = 40; // uc_flags, uc_link, uc_stack
        private const int GregCount = 23;
        private const int FpregsOffset = McontextOffset + GregCount * 8;
        private const int SigmaskOffset = 296;
        private const int MxcsrOffset = 24, MxcsrMaskOffset = 28; // in the fxsave image
        private const uint DefaultMxcsrMask = 0xFFBF;

        // mcontext gregs indexes (sys/ucontext.h REG_*)
        private const int RegR8 = 0, RegR9 = 1, RegR10 = 2, RegR11 = 3, RegR12 = 4, RegR13 = 5, RegR14 = 6, RegR15 = 7;
        private const int RegRdi = 8, RegRsi = 9, RegRbp = 10, RegRbx = 11, RegRdx = 12, RegRax = 13, RegRcx = 14, RegRsp = 15, RegRip = 16, RegEflags = 17;
        // Linux's other mcontext slots, filled only for a fault (REG_ERR, REG_TRAPNO, REG_OLDMASK, REG_CR2).
        private const int RegErr = 19, RegTrapno = 20, RegOldmask = 21, RegCr2 = 22;

        /// <summary>
        /// Writes an rt_sigframe for the code interrupted at <paramref name="gregs"/> (REG_RSP among them)
        /// below its red zone, or on the alternate stack: restorer, ucontext with the registers, the SSE
        /// state (<paramref name="sseState"/>, an fxsave image; none when null) and
        /// <paramref name="interruptedMask"/>; a zeroed siginfo. Returns the handler's stack pointer, 0
        /// when the frame does not fit.
        /// </summary>
        private static ulong PushFrame(LinuxThreads.Record* record, KernelSigaction action, ulong* gregs, byte* sseState, ulong interruptedMask, out byte* info)
        {
            ulong interruptedSp = gregs[RegRsp];
            ulong top = interruptedSp - 128; // the red zone stays the interrupted code's
            bool onAltStack = record->AltStackSize != 0 && (action.Flags & SaOnstack) != 0
                && !(interruptedSp > record->AltStack && interruptedSp <= record->AltStack + record->AltStackSize);
            if (onAltStack)
                top = record->AltStack + record->AltStackSize;
            ulong fpstate = (top - FpstateSize) & ~63UL;
            ulong sp = ((fpstate - UcontextSize - SiginfoSize) & ~15UL) - 8;
            info = null;
            if (!UserMemory.IsWritable((void*)sp, fpstate + FpstateSize - sp))
                return 0;
            byte* uc = (byte*)sp + 8;
            info = uc + UcontextSize;
            for (int i = 0; i < UcontextSize + SiginfoSize; i++)
                uc[i] = 0;
            *(ulong*)sp = action.Restorer;
            *(ulong*)(uc + 16) = record->AltStack;
            *(int*)(uc + 24) = record->AltStackSize == 0 ? SsDisable : onAltStack ? SsOnstack : 0;
            *(ulong*)(uc + 32) = record->AltStackSize;
            ulong* saved = (ulong*)(uc + McontextOffset);
            for (int i = 0; i < GregCount; i++)
                saved[i] = gregs[i];
            if (sseState != null)
            {
                byte* image = (byte*)fpstate;
                for (int i = 0; i < FpstateSize; i++)
                    image[i] = sseState[i];
                *(ulong*)(uc + FpregsOffset) = fpstate;
            }
            *(ulong*)(uc + SigmaskOffset) = interruptedMask;
            return sp;
        }

        /// <summary>The handler's mask and SA_RESETHAND, once its frame is written.</summary>
        private static void EnterHandler(LinuxThreads.Record* record, int signal, KernelSigaction action)
        {
            record->SignalMask |= action.Mask | ((action.Flags & SaNodefer) != 0 ? 0 : Bit(signal));
            record->SignalMask &= ~Unblockable;
            if ((action.Flags & SaResethand) != 0)
                s_actions[signal - 1].Handler = SigDefault;
        }

        private static long BuildFrame(SystemCallFrame* frame, LinuxThreads.Record* record, int signal, KernelSigaction action, long result, ulong interruptedMask)
        {
            ulong* gregs = stackalloc ulong[GregCount];
            for (int i = 0; i < GregCount; i++)
                gregs[i] = 0;
            SystemCallRegisters* saved = SystemCallFrame.SavedRegisters(frame);
            bool exact = frame->ResumeExactly != 0; // after rt_sigreturn: rcx and r11 are the interrupted code's
            gregs[RegR8] = (ulong)frame->Argument4;
            gregs[RegR9] = (ulong)frame->Argument5;
            gregs[RegR10] = (ulong)frame->Argument3;
            gregs[RegR11] = exact ? frame->ResumeR11 : frame->Flags;
            gregs[RegR12] = saved->R12;
            gregs[RegR13] = saved->R13;
            gregs[RegR14] = saved->R14;
            gregs[RegR15] = saved->R15;
            gregs[RegRdi] = (ulong)frame->Argument0;
            gregs[RegRsi] = (ulong)frame->Argument1;
            gregs[RegRbp] = saved->Rbp;
            gregs[RegRbx] = saved->Rbx;
            gregs[RegRdx] = (ulong)frame->Argument2;
            gregs[RegRax] = (ulong)result;
            gregs[RegRcx] = exact ? frame->ResumeRcx : frame->ReturnAddress;
            gregs[RegRsp] = frame->CallerStack;
            gregs[RegRip] = frame->ReturnAddress;
            gregs[RegEflags] = frame->Flags;
            byte* sseState = SystemCallFrame.SavedSseState(frame, Scheduler.Current.Stacks.SyscallStackTop);
            ulong sp = PushFrame(record, action, gregs, sseState, interruptedMask, out byte* info);
            if (sp == 0)
                return EndProgram(11); // no room for the frame: SIGSEGV, as Linux forces
            *(int*)info = signal;                        // si_signo
            *(int*)(info + 8) = -6;                      // si_code: SI_TKILL
            *(int*)(info + 16) = LinuxSystemCalls.ProcessId; // si_pid
            EnterHandler(record, signal, action);
            frame->Argument0 = signal;
            frame->Argument1 = (long)info;
            frame->Argument2 = (long)(info - UcontextSize);
            frame->ReturnAddress = action.Handler;
            frame->CallerStack = sp;
            frame->ResumeExactly = 0; // into the handler the ordinary way
            return 0; // rax for the handler: nothing it reads
        }

        /// <summary>
        /// rt_sigreturn: every register the frame holds (rsp points just past the restorer's return
        /// address), rcx and r11 included (an exact return, Boot/syscall.asm), the SSE state from
        /// uc_mcontext.fpregs when set, and the mask.
        /// </summary>
        internal static long Return(SystemCallFrame* frame)
        {
            byte* uc = (byte*)frame->CallerStack;
            if (!UserMemory.IsReadable(uc, SigmaskOffset + 8))
                return EndProgram(11);
            ulong* gregs = (ulong*)(uc + McontextOffset);
            byte* fpregs = (byte*)*(ulong*)(uc + FpregsOffset);
            if (fpregs != null && !UserMemory.IsReadable(fpregs, FpstateSize))
                return EndProgram(11);
            SystemCallRegisters* saved = SystemCallFrame.SavedRegisters(frame);
            frame->Argument4 = (long)gregs[RegR8];
            frame->Argument5 = (long)gregs[RegR9];
            frame->Argument3 = (long)gregs[RegR10];
            saved->R12 = gregs[RegR12];
            saved->R13 = gregs[RegR13];
            saved->R14 = gregs[RegR14];
            saved->R15 = gregs[RegR15];
            frame->Argument0 = (long)gregs[RegRdi];
            frame->Argument1 = (long)gregs[RegRsi];
            saved->Rbp = gregs[RegRbp];
            saved->Rbx = gregs[RegRbx];
            frame->Argument2 = (long)gregs[RegRdx];
            frame->CallerStack = gregs[RegRsp];
            frame->ReturnAddress = gregs[RegRip];
            frame->Flags = (gregs[RegEflags] & 0xCD5) | 0x202; // arithmetic flags; IF on, DF clear
            frame->ResumeRcx = gregs[RegRcx];
            frame->ResumeR11 = gregs[RegR11];
            frame->ResumeExactly = 1;
            byte* sseState = SystemCallFrame.SavedSseState(frame, Scheduler.Current.Stacks.SyscallStackTop);
            if (fpregs != null && sseState != null)
                RestoreSseState(sseState, fpregs);
            LinuxThreads.Record* record = LinuxThreads.Current;
            if (record != null)
                record->SignalMask = *(ulong*)(uc + SigmaskOffset) & ~Unblockable;
            return (long)gregs[RegRax];
        }

        /// <summary>
        /// Copies the frame's fxsave image over the one the entry stub restores, keeping MXCSR to the
        /// bits this CPU has (a reserved bit would make fxrstor fault in the kernel).
        /// </summary>
        private static void RestoreSseState(byte* destination, byte* image)
        {
            uint mask = *(uint*)(destination + MxcsrMaskOffset);
            if (mask == 0)
                mask = DefaultMxcsrMask;
            for (int i = 0; i < FpstateSize; i++)
                destination[i] = image[i];
            *(uint*)(destination + MxcsrOffset) &= mask;
            *(uint*)(destination + MxcsrMaskOffset) = mask;
        }

        /// <summary>
        /// A fault of the calling thread's own code (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP), delivered
        /// at once as Linux forces it: when the program handles the signal and does not block it, writes
        /// an rt_sigframe with every register of <paramref name="registers"/>, the SSE state
        /// (<paramref name="sseState"/>, an fxsave image) and siginfo (si_code <paramref name="code"/>,
        /// si_addr <paramref name="address"/>), and fills <paramref name="entry"/> to enter the handler.
        /// False otherwise: the default action, the program ends. Returning from the handler resumes
        /// exactly (rt_sigreturn gives back every register and the SSE state).
        /// </summary>
        internal static bool DeliverFault(TrapFrame* registers, byte* sseState, int signal, int code, ulong address, ThreadStartRegisters* entry)
        {
            LinuxThreads.Record* record = LinuxThreads.Current;
            if (record == null || signal < 1 || signal > SignalCount)
                return false;
            KernelSigaction action = s_actions[signal - 1];
            if (action.Handler == SigDefault || action.Handler == SigIgnore || (action.Flags & SaRestorer) == 0 || (record->SignalMask & Bit(signal)) != 0)
                return false;
            ulong* gregs = stackalloc ulong[GregCount];
            gregs[RegR8] = registers->R8;
            gregs[RegR9] = registers->R9;
            gregs[RegR10] = registers->R10;
            gregs[RegR11] = registers->R11;
            gregs[RegR12] = registers->R12;
            gregs[RegR13] = registers->R13;
            gregs[RegR14] = registers->R14;
            gregs[RegR15] = registers->R15;
            gregs[RegRdi] = registers->Rdi;
            gregs[RegRsi] = registers->Rsi;
            gregs[RegRbp] = registers->Rbp;
            gregs[RegRbx] = registers->Rbx;
            gregs[RegRdx] = registers->Rdx;
            gregs[RegRax] = registers->Rax;
            gregs[RegRcx] = registers->Rcx;
            gregs[RegRsp] = registers->Rsp;
            gregs[RegRip] = registers->Rip;
            gregs[RegEflags] = registers->Rflags;
            gregs[18] = 0; // REG_CSGSFS
            gregs[RegErr] = registers->ErrorCode;
            gregs[RegTrapno] = registers->Vector;
            gregs[RegOldmask] = record->SignalMask;
            gregs[RegCr2] = address;
            ulong sp = PushFrame(record, action, gregs, sseState, record->SignalMask, out byte* info);
            if (sp == 0)
                return false; // no room for the frame (a stack overflow without an alternate stack)
            *(int*)info = signal;              // si_signo
            *(int*)(info + 8) = code;          // si_code
            *(ulong*)(info + 16) = address;    // si_addr
            EnterHandler(record, signal, action);
            *entry = default;
            entry->Rbx = registers->Rbx;
            entry->Rbp = registers->Rbp;
            entry->R12 = registers->R12;
            entry->R13 = registers->R13;
            entry->R14 = registers->R14;
            entry->R15 = registers->R15;
            entry->Rdi = (ulong)signal;
            entry->Rsi = (ulong)info;
            entry->Rdx = (ulong)(info - UcontextSize);
            entry->Flags = 0x202; // interrupts on, direction flag clear
            entry->Rip = action.Handler;
            entry->Rsp = sp;
            return true;
        }
    }
}
