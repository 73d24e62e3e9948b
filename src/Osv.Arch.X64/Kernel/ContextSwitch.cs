using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Smp;

namespace Osv.Arch.X64
{
    /// <summary>
    /// Switching between threads: the stack switch itself (Boot/context_switch.asm), the initial
    /// frame of a new thread, and pointing the CPU's TSS at the incoming thread's own interrupt and
    /// exception stacks, so an interrupt taken by that thread is saved on its stack and a preempted
    /// thread's frame survives until it runs again.
    /// </summary>
    public static unsafe class ContextSwitch
    {
        private const int TssOffsetInTablesPage = 64;
        private const int TssIst1 = 36;
        private const int TssIst3 = 52;
        private const uint DefaultMxcsr = 0x1F80;
        private const ushort DefaultFpuControl = 0x037F;

        [DllImport("*"), SuppressGCTransition] private static extern void osv_switch_context(ulong* saveStackPointer, ulong newStackPointer);
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_thread_trampoline_address();

        /// <summary>Saves the running thread's stack pointer in <paramref name="save"/> and resumes the one at <paramref name="next"/>.</summary>
        [RequiresInterruptsDisabled]
        public static void Switch(ulong* save, ulong next) => osv_switch_context(save, next);

        /// <summary>
        /// Lays out a new thread's first frame below <paramref name="stackTop"/>: its first switch
        /// "returns" into the trampoline, which calls osv_thread_start(<paramref name="thread"/>).
        /// Returns the stack pointer to switch to.
        /// </summary>
        public static ulong PrepareNewThread(ulong stackTop, void* thread)
        {
            // From a 16-byte aligned top, the trampoline starts with rsp 16-byte aligned, so the
            // function it calls sees the SysV entry alignment (rsp + 8 aligned).
            ulong* sp = (ulong*)(stackTop & ~15UL);
            *--sp = osv_thread_trampoline_address();     // return address of osv_switch_context
            *--sp = 0;                                   // rbp
            *--sp = 0;                                   // rbx
            *--sp = (ulong)thread;                       // r12: the thread, for the trampoline
            *--sp = 0;                                   // r13
            *--sp = 0;                                   // r14
            *--sp = 0;                                   // r15
            *--sp = DefaultMxcsr | ((ulong)DefaultFpuControl << 32);
            return (ulong)sp;
        }

        /// <summary>Points this CPU's IST1 (exceptions) and IST3 (interrupts) at the incoming thread's stacks.</summary>
        [RequiresInterruptsDisabled]
        public static void UseThreadStacks(ulong exceptionStackTop, ulong interruptStackTop)
        {
            byte* tss = TaskStateSegment;
            *(ulong*)(tss + TssIst1) = exceptionStackTop;
            *(ulong*)(tss + TssIst3) = interruptStackTop;
        }

        /// <summary>This CPU's IST1 (exception stack) as its TSS holds it now: read once at start-up, it is the CPU's own.</summary>
        public static ulong CurrentExceptionStackTop => *(ulong*)(TaskStateSegment + TssIst1);

        /// <summary>This CPU's IST3 (interrupt stack) as its TSS holds it now.</summary>
        public static ulong CurrentInterruptStackTop => *(ulong*)(TaskStateSegment + TssIst3);

        private static byte* TaskStateSegment => (byte*)CpuLocal.Current - CpuLocal.OffsetInTablesPage + TssOffsetInTablesPage;
    }
}
