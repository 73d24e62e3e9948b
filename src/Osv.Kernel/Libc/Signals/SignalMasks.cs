using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Posix;
using Osv.Kernel.Libc.Threads;
using S = Osv.Core.Linux.SystemCallNumbers;

namespace Osv.Kernel.Libc.Signals
{
    /// <summary>
    /// The calling thread's signal mask in glibc's 1024-bit sigset_t (the kernel keeps the first
    /// word: signals 1..64; the other words read back as zero). A change that unblocks a pending
    /// signal delivers it before the function returns, as the system call does for a static program.
    /// </summary>
    internal static unsafe class SignalMasks
    {
        private const ulong SigsetBytes = 128;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sigprocmask")]
        public static int ProcessMask(int how, ulong* set, ulong* old) => (int)PosixFiles.Result(Change(how, set, old));

        /// <summary>pthread_sigmask: the same per-thread mask; the error is the result, errno stays.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_sigmask")]
        public static int ThreadMask(int how, ulong* set, ulong* old) => (int)-Change(how, set, old);

        /// <summary>The mask change (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK) and the delivery it allows; -errno on failure.</summary>
        public static long Change(int how, ulong* set, ulong* old)
        {
            if (old != null && !UserMemory.IsWritable(old, SigsetBytes))
                return -Errno.EFAULT;
            long result = LinuxSystemCalls.Invoke(S.RtSigprocmask, how, (long)set, (long)old, 8);
            if (result < 0)
                return result;
            if (old != null)
                ClearUpperWords(old);
            SignalDelivery.DeliverPending();
            return 0;
        }

        private static void ClearUpperWords(ulong* set)
        {
            for (int i = 1; i < GlibcSigaction.MaskWords; i++)
                set[i] = 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sigpending")]
        public static int Pending(ulong* set)
        {
            if (!UserMemory.IsWritable(set, SigsetBytes))
                return (int)PosixFiles.Result(-Errno.EFAULT);
            long result = LinuxSystemCalls.Invoke(S.RtSigpending, (long)set, 8);
            if (result < 0)
                return (int)PosixFiles.Result(result);
            ClearUpperWords(set);
            return 0;
        }

        /// <summary>
        /// sigsuspend: waits under <paramref name="mask"/> until a signal is deliverable (the kernel's
        /// rt_sigsuspend, woken by the sender), runs its handler, which gives back the old mask, and
        /// fails with EINTR, as POSIX says it always returns.
        /// </summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sigsuspend")]
        public static int Suspend(ulong* mask)
        {
            if (!UserMemory.IsReadable(mask, 8))
                return (int)PosixFiles.Result(-Errno.EFAULT);
            long result = LinuxSystemCalls.Invoke(S.RtSigsuspend, (long)mask, 8);
            if (result != -Errno.EINTR)
                return (int)PosixFiles.Result(result);
            SignalDelivery.DeliverPending();
            LinuxSignals.EndSuspend(); // no handler took the old mask back (an ignored signal)
            SignalDelivery.DeliverPending(); // what the old mask lets through too
            ErrnoLocation.Set(Errno.EINTR);
            return -1;
        }
    }
}
