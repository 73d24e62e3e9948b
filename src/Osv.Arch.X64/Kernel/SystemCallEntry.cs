using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Arch.X64
{
    /// <summary>
    /// What Boot/syscall.asm saved: the number, the six arguments, and where to return; above them,
    /// what a return that must give back every register uses (rt_sigreturn: rcx and r11 too).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SystemCallFrame
    {
        public long Number;
        public long Argument0; // rdi
        public long Argument1; // rsi
        public long Argument2; // rdx
        public long Argument3; // r10
        public long Argument4; // r8
        public long Argument5; // r9
        public ulong Flags;
        public ulong ReturnAddress;
        public ulong CallerStack;
        public ulong ResumeRcx; // with ResumeExactly: rcx and r11 as they were, not `syscall`'s
        public ulong ResumeR11;
        public ulong ResumeExactly; // non-zero: return through iretq with every register (Boot/syscall.asm)

        /// <summary>The SSE/x87 state (fxsave, 512 bytes) takes this many bytes below the saved registers, 64-byte aligned.</summary>
        public const int SseStateSize = 512;

        /// <summary>The callee-saved registers the entry stub pushed just below <paramref name="frame"/>.</summary>
        public static unsafe SystemCallRegisters* SavedRegisters(SystemCallFrame* frame) => (SystemCallRegisters*)((byte*)frame - sizeof(SystemCallRegisters));

        /// <summary>
        /// The caller's SSE state the entry stub saved (fxsave) and restores on the way out, or null
        /// when <paramref name="frame"/> is not the entry stub's frame at the top of the thread's
        /// syscall stack (<paramref name="syscallStackTop"/>): a call made as a function call
        /// (LinuxSystemCalls.Invoke) has none.
        /// </summary>
        public static unsafe byte* SavedSseState(SystemCallFrame* frame, ulong syscallStackTop)
        {
            if ((ulong)frame + (ulong)sizeof(SystemCallFrame) != syscallStackTop)
                return null;
            return (byte*)(((ulong)SavedRegisters(frame) - SseStateSize) & ~63UL);
        }
    }

    /// <summary>The caller's callee-saved registers, pushed by Boot/syscall.asm below the frame and popped on return (from the lowest address up).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SystemCallRegisters
    {
        public ulong R15;
        public ulong R14;
        public ulong R13;
        public ulong R12;
        public ulong Rbp;
        public ulong Rbx;
    }

    /// <summary>What Boot/clone_entry.asm loads before it jumps into a new thread made by clone (offsets fixed there).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ThreadStartRegisters
    {
        public ulong Rbx, Rbp, R12, R13, R14, R15;
        public ulong Rdi, Rsi, Rdx, R10, R8, R9;
        public ulong Flags;
        public ulong Rip;
        public ulong Rsp;
    }

    /// <summary>
    /// The `syscall` instruction on every CPU: EFER.SCE, the entry point (LSTAR), and the flags the
    /// entry starts with (FMASK clears IF, TF, DF, AC, NT). The Linux layer registers the handler.
    /// </summary>
    public static unsafe class SystemCallEntry
    {
        private const uint MsrEfer = 0xC0000080;
        private const uint MsrStar = 0xC0000081;
        private const uint MsrLstar = 0xC0000082;
        private const uint MsrFmask = 0xC0000084;
        private const ulong EferSystemCallEnable = 1;
        private const ulong MaskedFlags = (1 << 8) | (1 << 9) | (1 << 10) | (1 << 14) | (1 << 18);
        private const long NoSuchCall = -38; // -ENOSYS

        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_syscall_entry_address();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_enter_clone_child(ThreadStartRegisters* registers);

        /// <summary>Loads <paramref name="registers"/> (on the calling thread's own stack) and jumps; never returns.</summary>
        public static void EnterClonedThread(ThreadStartRegisters* registers) => osv_enter_clone_child(registers);

        private static delegate*<SystemCallFrame*, long> s_handler;

        /// <summary>Makes `syscall` on this CPU enter the kernel's entry stub.</summary>
        public static void EnableOnThisCpu()
        {
            Cpu.WriteMsr(MsrEfer, Cpu.ReadMsr(MsrEfer) | EferSystemCallEnable);
            // STAR[47:32]: the code selector `syscall` loads (its stack selector is the next one).
            Cpu.WriteMsr(MsrStar, (ulong)Interrupts.DescriptorTables.KernelCode << 32);
            Cpu.WriteMsr(MsrLstar, osv_syscall_entry_address());
            Cpu.WriteMsr(MsrFmask, MaskedFlags);
        }

        /// <summary>The Linux system-call table: called with interrupts on, on the thread's syscall stack.</summary>
        public static void Register(delegate*<SystemCallFrame*, long> handler) => s_handler = handler;

        /// <summary>The running thread's syscall stack for the entry stub (0: none, `syscall` is refused).</summary>
        [RequiresInterruptsDisabled]
        public static void UseStack(ulong stackTop) => CpuLocal.Current->SyscallStackTop = stackTop;

        [UnmanagedCallersOnly(EntryPoint = "osv_syscall_dispatch")]
        [InternalEntryPoint("Boot/syscall.asm")]
        [PopulatedStack] // the thread's syscall stack, populated when the thread was created
        private static long Dispatch(SystemCallFrame* frame) => s_handler != null ? s_handler(frame) : NoSuchCall;

        [UnmanagedCallersOnly(EntryPoint = "osv_syscall_without_stack")]
        [InternalEntryPoint("Boot/syscall.asm")]
        [PopulatedStack] // below the caller's red zone; the panic needs little
        private static void WithoutStack(long number, ulong returnAddress)
        {
            Internal.Runtime.RuntimeFailure.FailFast("syscall from a thread without a syscall stack (a kernel thread)");
        }
    }
}
