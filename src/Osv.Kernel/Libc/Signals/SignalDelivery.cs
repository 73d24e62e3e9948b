using System.Runtime.InteropServices;
using Osv.Core.Linux;

namespace Osv.Kernel.Libc.Signals
{
    /// <summary>
    /// Delivery for programs that call the C library directly: the kernel runs a handler when a thread
    /// leaves the `syscall` entry, and the C# functions here are plain calls, so after a call that can
    /// make a signal deliverable (raise, kill, an unblocking mask) they pass through that entry once
    /// (Boot/signal_delivery.asm). The handler then runs on the program's stack as for a static program.
    /// </summary>
    internal static unsafe class SignalDelivery
    {
        [DllImport("*"), SuppressGCTransition] private static extern void osv_signal_checkpoint();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_signal_restorer_address();

        /// <summary>The SA_RESTORER every action gets: it issues rt_sigreturn.</summary>
        public static ulong Restorer => osv_signal_restorer_address();

        /// <summary>Runs the handlers of the calling thread's deliverable signals (each rt_sigreturn delivers the next).</summary>
        public static void DeliverPending()
        {
            if (LinuxSignals.HasDeliverableSignal())
                osv_signal_checkpoint();
        }
    }
}
