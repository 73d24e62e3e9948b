using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Smp;
using Osv.Core.Console;
using Osv.Core.Diagnostics;
using Osv.Core.Memory;
using Osv.Core.Threads;

namespace Osv.Core.Linux
{
    /// <summary>
    /// CPU exceptions a program causes become Linux signals, not kernel panics. A fault is the
    /// program's when a program thread raised it with interrupts on and preemption enabled, and either
    /// its instruction is in the application region (the program's own code) or it is a page fault on
    /// an application-region address (a kernel routine working on the program's memory) or on page 0
    /// from kernel code running on the program's own stack (the C library it called, given NULL; one
    /// line names the kernel function). Anything else is a kernel bug and still panics.
    /// <para>
    /// The exception handler runs on the CPU's exception stack with interrupts off, where nothing may
    /// sleep or fault, so it only copies the registers to the top of the thread's own syscall stack and
    /// returns into <see cref="Continue"/> there (<see cref="ProgramThreadRedirect"/>, through the trap
    /// resume stub, which saves the SSE state the frame carries). In thread context, a handler the program installed
    /// (and does not block) runs on the program's stack with a Linux signal frame; otherwise the
    /// program ends as Linux's default action ends it, with status 128+signal.
    /// </para>
    /// <para>
    /// One page fault is resolved rather than signalled: a touch of a lazy stack page when the fault
    /// handler's page pool ran dry (a deep stack grown within one time slice). The thread refills the
    /// pool in thread context and retries the access (Arch's TrapResume).
    /// </para>
    /// </summary>
    public static unsafe class ProgramFaults
    {
        private const ulong InterruptFlag = 1UL << 9;
        private const ulong PageFaultPresent = 1; // error-code bit: a protection fault, not a missing page
        private const ulong PageSize = 4096;
        private const ulong SyscallStackSize = ThreadStacks.StackPages * PageSize;

        private const int SigTrap = 5, SigIll = 4, SigBus = 7, SigFpe = 8, SigSegv = 11;
        // si_code values (asm-generic/siginfo.h)
        private const int SiKernel = 0x80, IllIllopn = 2, FpeIntdiv = 1, FpeFltinv = 7, SegvMaperr = 1, SegvAccerr = 2, BusAdraln = 1;

        /// <summary>
        /// The fault as the exception handler saw it, left on the thread's syscall stack: the trap
        /// resume stub (which saves the SSE state below it) calls <see cref="Continue"/> with it.
        /// </summary>
        private struct Fault
        {
            public TrapResumeBlock Resume; // Frame: the faulting registers
            public ulong Address;
            public int Signal;
            public int Code;
            public int InProgramCode;
        }

        internal static void Register() => TrapDispatcher.RegisterProgramFaultHandler(&OnException);

        [PopulatedStack] // an exception (IST) stack, interrupts off
        private static bool OnException(TrapFrame* frame)
        {
            if ((frame->Rflags & InterruptFlag) == 0)
                return false;
            void* current = CpuLocal.CurrentThreadPointer;
            if (current == null || KernelThread.FromPointer(current).PreemptionDisabled != 0)
                return false;
            ulong stackTop = CpuLocal.Current->SyscallStackTop;
            if (stackTop == 0)
                return false;
            if (frame->Vector == ExceptionVectors.PageFault && LazyStacks.IsUnpopulated(Cpu.ReadCr2())
                && (frame->Rsp > stackTop || frame->Rsp <= stackTop - SyscallStackSize))
            {
                // The lazy-stack pool ran dry (a deep stack touched faster than context switches refill
                // it): refill it in thread context and retry the access. Not from the syscall stack itself,
                // which the refill runs on.
                TrapFrame trapped = *frame;
                TrapResumeBlock* block = (TrapResumeBlock*)ProgramThreadRedirect.Redirect(frame, stackTop, (ulong)sizeof(TrapResumeBlock), TrapResume.EntryAddress);
                block->Frame = trapped;
                block->Callback = &RefillLazyStackPool;
                return true;
            }
            int signal = SignalFor(frame->Vector, frame->ErrorCode, out int code);
            if (signal == 0 || LinuxThreads.Current == null)
                return false;
            bool inProgramCode = ApplicationMemory.InRegion(frame->Rip);
            ulong address = frame->Vector == ExceptionVectors.PageFault ? Cpu.ReadCr2()
                : signal == SigSegv || signal == SigBus ? 0 // #GP and #SS do not say which address
                : frame->Rip;
            if (!inProgramCode && !IsProgramsPageFault(frame, address, stackTop))
                return false;

            TrapFrame registers = *frame; // the redirect rewrites the frame
            Fault* fault = (Fault*)ProgramThreadRedirect.Redirect(frame, stackTop, (ulong)sizeof(Fault), TrapResume.EntryAddress);
            fault->Resume.Frame = registers;
            fault->Resume.Callback = &Continue;
            fault->Address = address;
            fault->Signal = signal;
            fault->Code = code;
            fault->InProgramCode = inProgramCode ? 1 : 0;
            return true;
        }

        /// <summary>
        /// A page fault of kernel code the program caused: on the program's memory; or on page 0 from
        /// kernel code running on the program's own stack (not its syscall stack), which is the C
        /// library the program called directly (musl's leaf code, the C# libc) given a NULL pointer.
        /// </summary>
        private static bool IsProgramsPageFault(TrapFrame* frame, ulong address, ulong stackTop)
        {
            if (frame->Vector != ExceptionVectors.PageFault)
                return false;
            if (ApplicationMemory.InRegion(address))
                return true;
            bool onProgramStack = LazyStacks.InArea(frame->Rsp) || ApplicationMemory.InRegion(frame->Rsp);
            bool onSyscallStack = frame->Rsp <= stackTop && frame->Rsp > stackTop - SyscallStackSize;
            return address < PageSize && onProgramStack && !onSyscallStack;
        }

        private static int SignalFor(ulong vector, ulong errorCode, out int code)
        {
            code = SiKernel;
            switch (vector)
            {
                case ExceptionVectors.DivideError:
                    code = FpeIntdiv;
                    return SigFpe;
                case ExceptionVectors.Breakpoint:
                    return SigTrap;
                case 4: // overflow (into)
                case 5: // bound range exceeded
                case ExceptionVectors.GeneralProtection:
                    return SigSegv;
                case ExceptionVectors.InvalidOpcode:
                    code = IllIllopn;
                    return SigIll;
                case 12: // stack-segment fault: Linux sends SIGBUS
                    return SigBus;
                case ExceptionVectors.PageFault:
                    code = (errorCode & PageFaultPresent) != 0 ? SegvAccerr : SegvMaperr;
                    return SigSegv;
                case 16: // x87 floating-point error
                case 19: // SIMD floating-point error
                    code = FpeFltinv;
                    return SigFpe;
                case 17: // alignment check
                    code = BusAdraln;
                    return SigBus;
                default:
                    return 0;
            }
        }

        /// <summary>Which kernel function faulted, on one line: the program ends, but the place must not go unsaid.</summary>
        private static void ReportKernelCodeFault(Fault* fault)
        {
            KernelConsole.Write("signal ");
            KernelConsole.WriteDecimal((ulong)fault->Signal);
            KernelConsole.Write(": kernel code called by the program faulted at ");
            if (Panic.TrySymbolize(fault->Resume.Frame.Rip, out System.ReadOnlySpan<byte> name, out ulong offset))
            {
                KernelConsole.Write(name);
                KernelConsole.Write("+");
                KernelConsole.WriteHexShort(offset);
            }
            else
            {
                KernelConsole.WriteHex64(fault->Resume.Frame.Rip);
            }
            KernelConsole.Write(" on address ");
            KernelConsole.WriteHex64(fault->Address);
            KernelConsole.WriteLine();
        }

        [PopulatedStack] // the thread's syscall stack
        [UnmanagedCallersOnly]
        private static void RefillLazyStackPool(TrapResumeBlock* unused) => LazyStacks.Refill();

        /// <summary>The faulting thread, back in thread context on its syscall stack with interrupts on.</summary>
        [PopulatedStack] // the thread's syscall stack, populated when the thread was made
        [UnmanagedCallersOnly]
        private static void Continue(TrapResumeBlock* block)
        {
            Fault* fault = (Fault*)block;
            // Linux says ACCERR for any fault inside a mapping (a page not populated yet included); the
            // error code alone says so only for present pages, and the mappings may not be read in the handler.
            if (fault->Resume.Frame.Vector == ExceptionVectors.PageFault && ApplicationMemory.InRegion(fault->Address) && ApplicationMemory.ProtectionAt(fault->Address) >= 0)
                fault->Code = SegvAccerr;
            if (fault->InProgramCode == 0)
                ReportKernelCodeFault(fault);
            if (fault->InProgramCode != 0)
            {
                ThreadStartRegisters entry;
                if (LinuxSignals.DeliverFault(&fault->Resume.Frame, TrapResume.SavedSseState(block), fault->Signal, fault->Code, fault->Address, &entry))
                    SystemCallEntry.EnterClonedThread(&entry); // into the handler; does not return
            }
            LinuxThreads.EndProgramBySignal(fault->Signal);
        }
    }
}
