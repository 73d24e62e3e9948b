using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Console;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Process;

namespace Osv.Kernel.Libc.Signals
{
    /// <summary>
    /// The parts of the setjmp family (Boot/setjmp.asm) that need the kernel: the signal mask a
    /// sigjmp_buf saves and restores, and __longjmp_chk's verdict on a jump down the stack.
    /// </summary>
    internal static unsafe class JumpMasks
    {
        private const int SigBlock = 0;
        private const int SigSetMask = 2;
        private const int MaskWasSavedOffset = 64;
        private const int SavedMaskOffset = 72;

        /// <summary>__sigsetjmp with savemask != 0, after the registers: records the mask; setjmp's first return value.</summary>
        [UnmanagedCallersOnly(EntryPoint = "osv_sigjmp_save_mask")]
        [InternalEntryPoint("setjmp.asm: __sigsetjmp")]
        private static int SaveMask(byte* buffer)
        {
            long result = SignalMasks.Change(SigBlock, null, (ulong*)(buffer + SavedMaskOffset));
            *(int*)(buffer + MaskWasSavedOffset) = result == 0 ? 1 : 0;
            return 0;
        }

        /// <summary>longjmp to a buffer whose mask was saved: the mask comes back (and delivers what it unblocks).</summary>
        [UnmanagedCallersOnly(EntryPoint = "osv_longjmp_restore_mask")]
        [InternalEntryPoint("setjmp.asm: longjmp")]
        private static void RestoreMask(byte* buffer) => SignalMasks.Change(SigSetMask, (ulong*)(buffer + SavedMaskOffset), null);

        /// <summary>
        /// __longjmp_chk with a target below the current stack pointer: a frame that has returned,
        /// unless the jump leaves the alternate signal stack for the stack below it (glibc's rule).
        /// Anything else would resume on a dead frame: the program aborts, as glibc's fortify check makes it.
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "osv_longjmp_check_downward")]
        [InternalEntryPoint("setjmp.asm: __longjmp_chk")]
        private static void CheckDownwardJump(ulong target, ulong current)
        {
            if (LinuxSignals.IsOnAlternateStack(current) && !LinuxSignals.IsOnAlternateStack(target))
                return;
            KernelConsole.WriteLine("*** longjmp causes uninitialized stack frame ***: terminated");
            SignalSending.RaiseAbortSignal(); // what abort does: SIGABRT first
            LibcStart.AbortProgram();
        }
    }
}
