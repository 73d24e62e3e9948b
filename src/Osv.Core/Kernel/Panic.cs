using System;
using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Interrupts;
using Osv.Core.Console;

namespace Osv.Core.Diagnostics
{
    /// <summary>
    /// A kernel bug: message, registers, symbolized backtrace, then the VM exits with
    /// <see cref="ExitStatus"/> (QEMU reports 255), which `osv run` reports as a panic.
    /// Allocates nothing and re-enters nothing: a fault inside the panic exits at once.
    /// </summary>
    public static unsafe class Panic
    {
        public const int ExitStatus = 127;
        private const int MaxFrames = 32;

        private static int s_panicking;
        private static KernelSymbolTable s_symbols;
        private static CallFrameUnwinder s_unwinder;

        [DllImport("*"), SuppressGCTransition] private static extern void osv_capture_registers(UnwindRegisters* registers);

        private static ulong s_codeStart;
        private static ulong s_codeEnd;

        /// <summary>The kernel function holding <paramref name="address"/> and the offset into it (reports that are not panics use it too).</summary>
        public static bool TrySymbolize(ulong address, out ReadOnlySpan<byte> name, out ulong offset)
        {
            name = default;
            offset = 0;
            return address >= s_codeStart && address < s_codeEnd && s_symbols.TryLookup(address, out name, out offset);
        }

        /// <summary>Symbols and unwind information of the kernel's code in [codeStart, codeEnd).</summary>
        public static void UseSymbols(KernelSymbolTable symbols, CallFrameUnwinder unwinder, ulong codeStart, ulong codeEnd)
        {
            s_symbols = symbols;
            s_unwinder = unwinder;
            s_codeStart = codeStart;
            s_codeEnd = codeEnd;
        }

        /// <summary>Fatal CPU exception (registered with the trap dispatcher).</summary>
        [PopulatedStack]
        public static void OnFatalTrap(TrapFrame* frame)
        {
            EnterOrExit();
            KernelConsole.WriteLine();
            KernelConsole.Write("PANIC: ");
            KernelConsole.Write(ExceptionVectors.Describe(frame->Vector));
            KernelConsole.Write(" at rip ");
            KernelConsole.WriteHex64(frame->Rip);
            KernelConsole.WriteLine();
            WriteRegisters(frame);
            if (frame->Vector == ExceptionVectors.PageFault && KnownStacks.IsGuardPage(Cpu.ReadCr2()))
            {
                KernelConsole.Write("stack overflow in thread ");
                KernelConsole.WriteDecimal((ulong)Osv.Core.Threads.Scheduler.CurrentId);
                KernelConsole.WriteLine(": the fault address is in the guard page below its stack");
            }
            if (frame->Vector == ExceptionVectors.PageFault && Osv.Core.Memory.LazyStacks.IsUnpopulated(Cpu.ReadCr2()))
                KernelConsole.WriteLine("lazy stack: no page left in the fault handler's pool");
            UnwindRegisters registers;
            registers.Rip = frame->Rip;
            registers.Rsp = frame->Rsp;
            registers.Rbp = frame->Rbp;
            WriteBacktrace(registers, false);
            Finish();
        }

        /// <summary>Software panic: a broken invariant, a runtime check (bounds, cast, out of memory).</summary>
        public static void Fail(string message)
        {
            EnterOrExit();
            KernelConsole.WriteLine();
            KernelConsole.Write("PANIC: ");
            KernelConsole.WriteLine(message);
            UnwindRegisters registers;
            osv_capture_registers(&registers);
            WriteBacktrace(registers, true);
            Finish();
        }

        /// <summary>Same, for the runtime's failure hook (message as a NUL-terminated ASCII string).</summary>
        public static void FailFromRuntime(byte* message, nint unused)
        {
            EnterOrExit();
            KernelConsole.WriteLine();
            KernelConsole.Write("PANIC: ");
            for (int i = 0; i < 256 && message[i] != 0; i++)
                KernelConsole.Write(message[i]);
            KernelConsole.WriteLine();
            UnwindRegisters registers;
            osv_capture_registers(&registers);
            WriteBacktrace(registers, true);
            Finish();
        }

        private static void EnterOrExit()
        {
            // A software panic may come from any stack, a lazily mapped one too (rule 5).
            Stack.PrefaultNextPageIfPreemptible();
            Cpu.DisableInterrupts();
            if (s_panicking++ != 0)
            {
                KernelConsole.WriteLine("\nPANIC while panicking: VM exits");
                Machine.Exit(ExitStatus);
            }
        }

        private static void Finish()
        {
            KernelConsole.Write("Kernel panic: VM exits with status ");
            KernelConsole.WriteDecimal(ExitStatus);
            KernelConsole.WriteLine();
            Machine.Exit(ExitStatus);
        }

        private static void Register(string name, ulong value, bool last)
        {
            KernelConsole.Write(name);
            KernelConsole.Write((byte)' ');
            KernelConsole.WriteHex64(value);
            KernelConsole.Write(last ? (byte)'\n' : (byte)' ');
        }

        private static void WriteRegisters(TrapFrame* frame)
        {
            KernelConsole.Write("error ");
            KernelConsole.WriteHex64(frame->ErrorCode);
            KernelConsole.Write("  cr2 ");
            KernelConsole.WriteHex64(Cpu.ReadCr2());
            KernelConsole.WriteLine();
            Register("rax", frame->Rax, false);
            Register("rbx", frame->Rbx, false);
            Register("rcx", frame->Rcx, false);
            Register("rdx", frame->Rdx, true);
            Register("rsi", frame->Rsi, false);
            Register("rdi", frame->Rdi, false);
            Register("rbp", frame->Rbp, false);
            Register("rsp", frame->Rsp, true);
            Register("r8 ", frame->R8, false);
            Register("r9 ", frame->R9, false);
            Register("r10", frame->R10, false);
            Register("r11", frame->R11, true);
            Register("r12", frame->R12, false);
            Register("r13", frame->R13, false);
            Register("r14", frame->R14, false);
            Register("r15", frame->R15, true);
            Register("rip", frame->Rip, false);
            Register("rflags", frame->Rflags, false);
            Register("cs", frame->Cs, false);
            Register("ss", frame->Ss, true);
            Register("cr0", Cpu.ReadCr0(), false);
            Register("cr3", Cpu.ReadCr3(), false);
            Register("cr4", Cpu.ReadCr4(), true);
        }

        /// <summary>
        /// Walks the stack with the call-frame information. The first frame is the faulting instruction
        /// (or, for a software panic, a call site). Assembly leaves (cpu.asm) carry no CFI: their return
        /// address is on top of the stack.
        /// </summary>
        private static void WriteBacktrace(UnwindRegisters registers, bool startsAtCallSite)
        {
            KernelConsole.WriteLine("Backtrace:");
            bool isCallSite = startsAtCallSite;
            for (int index = 0; index < MaxFrames; index++)
            {
                WriteFrame(index, registers.Rip, isCallSite);
                ulong pc = isCallSite ? registers.Rip - 1 : registers.Rip;
                if (!s_unwinder.Covers(pc))
                {
                    if (index != 0 || !KnownStacks.IsReadable(registers.Rsp, 8))
                        return;
                    registers.Rip = *(ulong*)registers.Rsp;
                    registers.Rsp += 8;
                }
                else if (!s_unwinder.TryStep(ref registers, isCallSite))
                {
                    return;
                }
                isCallSite = true;
            }
        }

        private static void WriteFrame(int index, ulong address, bool isReturnAddress)
        {
            KernelConsole.Write("  #");
            KernelConsole.WriteDecimal((ulong)index);
            KernelConsole.Write((byte)' ');
            KernelConsole.WriteHex64(address);
            KernelConsole.Write((byte)' ');
            // A return address points after the call: look up the call instruction's function.
            ulong lookup = isReturnAddress ? address - 1 : address;
            bool isCode = lookup >= s_codeStart && lookup < s_codeEnd;
            if (isCode && s_symbols.TryLookup(lookup, out ReadOnlySpan<byte> name, out ulong offset))
            {
                KernelConsole.Write(name);
                KernelConsole.Write((byte)'+');
                KernelConsole.WriteHexShort(offset + (isReturnAddress ? 1UL : 0UL));
            }
            else
            {
                KernelConsole.Write(isCode ? "??" : "?? (not kernel code)");
            }
            KernelConsole.WriteLine();
        }
    }
}
