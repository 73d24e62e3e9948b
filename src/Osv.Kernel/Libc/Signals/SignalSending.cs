using System.Runtime.InteropServices;
using Osv.Annotations;
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
        public static int Raise(int signal)
        {
            long thread = Osv.Core.Linux.LinuxSystemCalls.Invoke(S.GetTid);
            return Deliver(Osv.Core.Linux.LinuxSystemCalls.Invoke(S.Tkill, thread, signal));
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "kill")]
        public static int Kill(int pid, int signal) => Deliver(Osv.Core.Linux.LinuxSystemCalls.Invoke(S.Kill, pid, signal));

        private static int Deliver(long result)
        {
            if (result < 0)
                return (int)PosixFiles.Result(result);
            SignalDelivery.DeliverPending();
            return 0;
        }
    }
}
