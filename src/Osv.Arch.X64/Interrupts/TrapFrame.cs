using System.Runtime.InteropServices;

namespace Osv.Arch.X64.Interrupts
{
    /// <summary>What Boot/traps.asm saves on an interrupt or exception, lowest address first.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TrapFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8;
        public ulong Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
        public ulong Vector;
        public ulong ErrorCode;
        // Pushed by the CPU.
        public ulong Rip, Cs, Rflags, Rsp, Ss;
    }
}
