using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthread_once_t (4 bytes; PTHREAD_ONCE_INIT = 0): 0 not run, 1 running (latecomers sleep on the
    /// word), 2 done. No cancellation, so a running initializer always completes.
    /// </summary>
    internal static unsafe class PthreadOnce
    {
        private const int NotRun = 0;
        private const int Running = 1;
        private const int Done = 2;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_once")]
        public static int Once(int* control, delegate* unmanaged<void> initialize)
        {
            if (Volatile.Read(ref *control) == Done)
                return 0;
            if (Interlocked.CompareExchange(ref *control, Running, NotRun) == NotRun)
            {
                initialize();
                Volatile.Write(ref *control, Done);
                AddressWait.Wake(control, int.MaxValue);
                return 0;
            }
            while (Volatile.Read(ref *control) == Running)
                AddressWait.Wait(control, Running, 0);
            return 0;
        }
    }
}
