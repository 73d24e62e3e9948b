using System.Runtime.InteropServices;

namespace Osv.Arch.X64.Interrupts
{
    /// <summary>
    /// What Boot/trap_resume.asm reads: the trapped registers, then the function to call (with the
    /// block's address) before resuming them. A caller may put more after it: the callback gets the block.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct TrapResumeBlock
    {
        public TrapFrame Frame;
        public delegate* unmanaged<TrapResumeBlock*, void> Callback;
    }

    /// <summary>
    /// Resumes a trapped thread after work that could not be done in the trap: a trap redirects the
    /// thread to <see cref="EntryAddress"/> with a <see cref="TrapResumeBlock"/>; there, in thread
    /// context, the callback runs and the thread continues at the trapped instruction, its general
    /// registers and SSE state as they were.
    /// </summary>
    public static unsafe class TrapResume
    {
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_trap_resume_address();

        public static ulong EntryAddress => osv_trap_resume_address();

        /// <summary>The trapped thread's SSE state (fxsave, 512 bytes) the stub saved just below <paramref name="block"/>, for the callback to read.</summary>
        public static byte* SavedSseState(TrapResumeBlock* block) => (byte*)(((ulong)block - 512) & ~63UL);
    }
}
