using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Posix;
using S = Osv.Core.Linux.SystemCallNumbers;

namespace Osv.Kernel.Libc.Signals
{
    /// <summary>
    /// raise and kill. The program is the only process: kill reaches it by its pid (or 0, -1) and the
    /// calling thread takes the signal; other pids are ESRCH, signal 0 only checks. A signal the caller
    /// does not block is handled before the function returns, as on Linux.
    /// </summary>
    internal static unsafe class SignalSending
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "raise")]
        public static int Raise(int signal) =>
            Deliver(LinuxSystemCalls.Invoke(S.Tkill, LinuxSystemCalls.Invoke(S.GetTid), signal));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "kill")]
        public static int Kill(int pid, int signal) => Deliver(LinuxSystemCalls.Invoke(S.Kill, pid, signal));

        /// <summary>
        /// abort's signal, as glibc raises it: SIGABRT unblocked and raised, so that a handler runs (it
        /// may jump away); if that returns, raised again with the default action, which ends the program
        /// by signal 6 as for a static program. Returns only where that cannot happen.
        /// </summary>
        public static void RaiseAbortSignal()
        {
            const int SigAbrt = 6;
            const int SigUnblock = 1;
            ulong abortBit = 1UL << (SigAbrt - 1);
            LinuxSystemCalls.Invoke(S.RtSigprocmask, SigUnblock, (long)&abortBit, 0, 8);
            RaiseSignal(SigAbrt);
            KernelSigaction defaultAction = default;
            LinuxSystemCalls.Invoke(S.RtSigaction, SigAbrt, (long)&defaultAction, 0, 8);
            RaiseSignal(SigAbrt);
        }

        private static void RaiseSignal(int signal) => Deliver(LinuxSystemCalls.Invoke(S.Tkill, LinuxSystemCalls.Invoke(S.GetTid), signal));

        private static int Deliver(long result)
        {
            if (result < 0)
                return (int)PosixFiles.Result(result);
            SignalDelivery.DeliverPending();
            return 0;
        }
    }
}
