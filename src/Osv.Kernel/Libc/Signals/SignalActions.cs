using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Posix;
using Osv.Kernel.Libc.Threads;
using S = Osv.Core.Linux.SystemCallNumbers;

namespace Osv.Kernel.Libc.Signals
{
    /// <summary>
    /// How a signal is handled, in glibc's terms: sigaction with glibc's 152-byte struct (converted by
    /// <see cref="GlibcSigaction"/>, the C library's restorer installed), signal with BSD semantics
    /// (SA_RESTART, as glibc's), and sigaltstack, whose stack_t is the kernel's.
    /// </summary>
    internal static unsafe class SignalActions
    {
        private const ulong SigError = ulong.MaxValue; // SIG_ERR
        private const uint SaRestart = 0x10000000;
        private const int SignalCount = 64;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sigaction")]
        public static int Sigaction(int signal, GlibcSigaction* action, GlibcSigaction* old) => Change(signal, action, old);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__sigaction")]
        public static int SigactionInternalName(int signal, GlibcSigaction* action, GlibcSigaction* old) => Change(signal, action, old);

        private static int Change(int signal, GlibcSigaction* action, GlibcSigaction* old)
        {
            KernelSigaction converted = default;
            KernelSigaction previous = default;
            if (action != null)
            {
                if (!UserMemory.IsReadable(action, (ulong)sizeof(GlibcSigaction)))
                    return Fail(Errno.EFAULT);
                converted = GlibcSigaction.ToKernel(*action, SignalDelivery.Restorer);
            }
            if (old != null && !UserMemory.IsWritable(old, (ulong)sizeof(GlibcSigaction)))
                return Fail(Errno.EFAULT);
            long result = LinuxSystemCalls.Invoke(S.RtSigaction, signal, action != null ? (long)&converted : 0, old != null ? (long)&previous : 0, 8);
            if (result < 0)
                return (int)PosixFiles.Result(result);
            if (old != null)
                *old = GlibcSigaction.FromKernel(previous);
            return 0;
        }

        private static int Fail(int error) => (int)PosixFiles.Result(-error);

        /// <summary>signal (glibc's BSD one): the handler stays installed, interrupted calls restart, the signal is blocked while it runs.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "signal")]
        public static ulong Signal(int signal, ulong handler)
        {
            if (signal < 1 || signal > SignalCount || handler == SigError)
            {
                ErrnoLocation.Set(Errno.EINVAL);
                return SigError;
            }
            KernelSigaction action;
            action.Handler = handler;
            action.Flags = SaRestart | GlibcSigaction.SaRestorer;
            action.Restorer = SignalDelivery.Restorer;
            action.Mask = 1UL << (signal - 1);
            KernelSigaction previous = default;
            long result = LinuxSystemCalls.Invoke(S.RtSigaction, signal, (long)&action, (long)&previous, 8);
            if (result < 0)
            {
                ErrnoLocation.Set((int)-result);
                return SigError;
            }
            return previous.Handler;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sigaltstack")]
        public static int AlternateStack(void* stack, void* old) => (int)PosixFiles.Result(LinuxSystemCalls.Invoke(S.Sigaltstack, (long)stack, (long)old));
    }
}
