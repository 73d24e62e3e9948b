using Osv.Annotations;
using Osv.Arch.X64.Interrupts;

namespace Osv.Core.Linux
{
    /// <summary>
    /// Takes a program thread over from a trap: when the trap returns, the thread does not resume where
    /// it was but calls a kernel function on its own syscall stack, in thread context with interrupts
    /// on, where it may sleep, fault and end. Only for threads the trap caught with interrupts on and
    /// preemption enabled (no kernel lock held); what they were doing is abandoned.
    /// </summary>
    internal static unsafe class ProgramThreadRedirect
    {
        private const ulong InterruptFlag = 1UL << 9;

        /// <summary>
        /// Reserves <paramref name="size"/> bytes at the top of the syscall stack (<paramref name="stackTop"/>)
        /// and rewrites <paramref name="frame"/> so that the thread calls <paramref name="target"/> with
        /// their address; returns it for the caller to fill. The syscall stack is free unless the trap
        /// came from inside a system call, which is then abandoned with everything else.
        /// </summary>
        [PopulatedStack] // a trap stack
        public static void* Redirect(TrapFrame* frame, ulong stackTop, ulong size, ulong target)
        {
            ulong area = (stackTop - size) & ~15UL;
            ulong sp = area - 8;
            *(ulong*)sp = 0; // the target's return address: it never returns, and a backtrace stops here
            frame->Rip = target;
            frame->Rsp = sp;
            frame->Rdi = area;
            frame->Rflags = 0x2 | InterruptFlag;
            return (void*)area;
        }
    }
}
