using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthread_spinlock_t (4 bytes): 0 free, 1 held. A plain busy wait with interrupts and preemption
    /// left on (an application's spin lock must not stop the kernel): a preempted holder only costs
    /// its spinners their time slice, as on Linux.
    /// </summary>
    internal static unsafe class PthreadSpinLock
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_spin_init")]
        public static int Init(int* spin, int shared)
        {
            *spin = 0;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_spin_destroy")]
        public static int Destroy(int* spin) => 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_spin_lock")]
        public static int Lock(int* spin)
        {
            while (Interlocked.CompareExchange(ref *spin, 1, 0) != 0)
            {
                while (Volatile.Read(ref *spin) != 0)
                    Cpu.Pause();
            }
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_spin_trylock")]
        public static int TryLock(int* spin) => Interlocked.CompareExchange(ref *spin, 1, 0) == 0 ? 0 : LibcErrors.EBUSY;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_spin_unlock")]
        public static int Unlock(int* spin)
        {
            Volatile.Write(ref *spin, 0);
            return 0;
        }
    }
}
