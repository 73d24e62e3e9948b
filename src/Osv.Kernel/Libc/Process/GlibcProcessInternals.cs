using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// glibc-only process entry points with nothing behind them but a fact about this kernel:
    /// the real-time signal range (glibc keeps 32 and 33 for itself, so programs see 34..64), and
    /// fork handlers, which are recorded nowhere because no fork ever happens in one address space.
    /// </summary>
    internal static unsafe class GlibcProcessInternals
    {
        private const int FirstRealTimeSignal = 34, LastRealTimeSignal = 64;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__libc_current_sigrtmin")]
        public static int RealTimeSignalMinimum() => FirstRealTimeSignal;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__libc_current_sigrtmax")]
        public static int RealTimeSignalMaximum() => LastRealTimeSignal;

        /// <summary>__register_atfork (what pthread_atfork compiles to): accepted; fork is not available, so the handlers never have a reason to run.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__register_atfork")]
        public static int RegisterForkHandlers(void* prepare, void* parent, void* child, void* dso) => 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_atfork")]
        public static int PthreadAtFork(void* prepare, void* parent, void* child) => 0;
    }
}
