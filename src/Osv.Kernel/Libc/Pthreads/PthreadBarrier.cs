using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthread_barrier_t (32 bytes, own layout): the count at 0, the arrivals of the current round at
    /// 4, the round number at 8 (waiters sleep on it). The last arrival resets the arrivals before it
    /// advances the round, so a released thread may enter the next round at once.
    /// </summary>
    internal static unsafe class PthreadBarrier
    {
        public const int SerialThread = -1; // PTHREAD_BARRIER_SERIAL_THREAD

        [StructLayout(LayoutKind.Explicit, Size = 32)]
        public struct Barrier
        {
            [FieldOffset(0)] public int Count;
            [FieldOffset(4)] public int Arrived;
            [FieldOffset(8)] public int Round;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_barrier_init")]
        public static int Init(Barrier* barrier, int* attributes, uint count)
        {
            if (count == 0 || count > int.MaxValue)
                return LibcErrors.EINVAL;
            *barrier = default;
            barrier->Count = (int)count;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_barrier_destroy")]
        public static int Destroy(Barrier* barrier) => Volatile.Read(ref barrier->Arrived) != 0 ? LibcErrors.EBUSY : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_barrier_wait")]
        public static int Wait(Barrier* barrier)
        {
            int round = Volatile.Read(ref barrier->Round);
            if (Interlocked.Increment(ref barrier->Arrived) == barrier->Count)
            {
                Volatile.Write(ref barrier->Arrived, 0);
                Interlocked.Increment(ref barrier->Round);
                AddressWait.Wake(&barrier->Round, int.MaxValue);
                return SerialThread;
            }
            while (Volatile.Read(ref barrier->Round) == round)
                AddressWait.Wait(&barrier->Round, round, 0);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_barrierattr_init")]
        public static int AttrInit(int* attributes)
        {
            *attributes = 0;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_barrierattr_destroy")]
        public static int AttrDestroy(int* attributes) => 0;
    }
}
