using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Linux;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthread_cond_t (48 bytes, own layout; all zero = PTHREAD_COND_INITIALIZER, CLOCK_REALTIME): a
    /// sequence word at 0 that every signal and broadcast advances and waiters sleep on
    /// (<see cref="AddressWait"/>: a signal between the waiter's read and its sleep changes the word, so
    /// it is never lost), the clock at 4, the number of waiters at 8 (signals skip the wake-up when it
    /// is zero). Waiters may wake spuriously, as POSIX allows. pthread_condattr_t (4 bytes): bit 0
    /// process-shared, bits 1.. the clock.
    /// </summary>
    internal static unsafe class PthreadCondition
    {
        [StructLayout(LayoutKind.Explicit, Size = 48)]
        public struct Condition
        {
            [FieldOffset(0)] public int Sequence;
            [FieldOffset(4)] public int Clock;
            [FieldOffset(8)] public int Waiters;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_cond_init")]
        public static int Init(Condition* condition, int* attributes)
        {
            *condition = default;
            condition->Clock = attributes == null ? Deadline.ClockRealtime : *attributes >> 1;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_cond_destroy")]
        public static int Destroy(Condition* condition) => 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_cond_wait")]
        public static int WaitEntry(Condition* condition, PthreadMutex.Mutex* mutex) => Wait(condition, mutex, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_cond_timedwait")]
        public static int TimedWait(Condition* condition, PthreadMutex.Mutex* mutex, TimeSpec* time)
        {
            long deadline = Deadline.FromTimespec(time, condition->Clock);
            if (deadline < 0)
                return (int)-deadline;
            return Wait(condition, mutex, (ulong)deadline);
        }

        /// <summary>glibc 2.30's pthread_cond_clockwait: the clock comes with the call.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_cond_clockwait")]
        public static int ClockWait(Condition* condition, PthreadMutex.Mutex* mutex, int clock, TimeSpec* time)
        {
            long deadline = Deadline.FromTimespec(time, clock);
            if (deadline < 0)
                return (int)-deadline;
            return Wait(condition, mutex, (ulong)deadline);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_cond_signal")]
        public static int Signal(Condition* condition)
        {
            Interlocked.Increment(ref condition->Sequence);
            if (Volatile.Read(ref condition->Waiters) != 0)
                AddressWait.Wake(&condition->Sequence, 1);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_cond_broadcast")]
        public static int Broadcast(Condition* condition)
        {
            Interlocked.Increment(ref condition->Sequence);
            if (Volatile.Read(ref condition->Waiters) != 0)
                AddressWait.Wake(&condition->Sequence, int.MaxValue);
            return 0;
        }

        [MaySleep]
        private static int Wait(Condition* condition, PthreadMutex.Mutex* mutex, ulong deadline)
        {
            if (PthreadMutex.IsOwnedElsewhere(mutex))
                return LibcErrors.EPERM;
            Interlocked.Increment(ref condition->Waiters);
            int sequence = Volatile.Read(ref condition->Sequence);
            uint depth = PthreadMutex.ReleaseForWait(mutex);
            int result = AddressWait.Wait(&condition->Sequence, sequence, deadline);
            Interlocked.Decrement(ref condition->Waiters);
            PthreadMutex.ReacquireAfterWait(mutex, depth);
            return result == LibcErrors.ETIMEDOUT ? LibcErrors.ETIMEDOUT : 0;
        }

        // ---- attributes ----

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_condattr_init")]
        public static int AttrInit(int* attributes)
        {
            *attributes = 0;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_condattr_destroy")]
        public static int AttrDestroy(int* attributes) => 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_condattr_setclock")]
        public static int AttrSetClock(int* attributes, int clock)
        {
            if (clock != Deadline.ClockRealtime && clock != Deadline.ClockMonotonic)
                return LibcErrors.EINVAL;
            *attributes = (*attributes & 1) | (clock << 1);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_condattr_getclock")]
        public static int AttrGetClock(int* attributes, int* clock)
        {
            *clock = *attributes >> 1;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_condattr_setpshared")]
        public static int AttrSetShared(int* attributes, int shared)
        {
            if (shared != 0 && shared != 1)
                return LibcErrors.EINVAL;
            *attributes = (*attributes & ~1) | shared;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_condattr_getpshared")]
        public static int AttrGetShared(int* attributes, int* shared)
        {
            *shared = *attributes & 1;
            return 0;
        }
    }
}
