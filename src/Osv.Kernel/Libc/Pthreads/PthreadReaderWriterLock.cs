using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Linux;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthread_rwlock_t (56 bytes, own layout; all zero = PTHREAD_RWLOCK_INITIALIZER): the state at 0
    /// (number of readers, or <see cref="WriterBit"/>), a sequence word at 4 that every release
    /// advances and waiters sleep on, the number of waiters at 8, the writer's id at 12. Readers go
    /// first (glibc's default, PTHREAD_RWLOCK_PREFER_READER_NP: a thread may take the read lock again
    /// while a writer waits). pthread_rwlockattr_t (8 bytes) is accepted and ignored.
    /// </summary>
    internal static unsafe class PthreadReaderWriterLock
    {
        private const int WriterBit = 0x40000000;

        [StructLayout(LayoutKind.Explicit, Size = 56)]
        public struct ReaderWriterLock
        {
            [FieldOffset(0)] public int State;
            [FieldOffset(4)] public int Sequence;
            [FieldOffset(8)] public int Waiters;
            [FieldOffset(12)] public int Writer;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_init")]
        public static int Init(ReaderWriterLock* rwlock, void* attributes)
        {
            *rwlock = default;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_destroy")]
        public static int Destroy(ReaderWriterLock* rwlock) => Volatile.Read(ref rwlock->State) != 0 ? LibcErrors.EBUSY : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_rdlock")]
        public static int ReadLock(ReaderWriterLock* rwlock) => EnterRead(rwlock, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_timedrdlock")]
        public static int TimedReadLock(ReaderWriterLock* rwlock, TimeSpec* time)
        {
            if (TryRead(rwlock))
                return 0;
            long deadline = Deadline.FromTimespec(time, Deadline.ClockRealtime);
            return deadline < 0 ? (int)-deadline : EnterRead(rwlock, (ulong)deadline);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_tryrdlock")]
        public static int TryReadLock(ReaderWriterLock* rwlock) => TryRead(rwlock) ? 0 : LibcErrors.EBUSY;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_wrlock")]
        public static int WriteLock(ReaderWriterLock* rwlock) => EnterWrite(rwlock, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_timedwrlock")]
        public static int TimedWriteLock(ReaderWriterLock* rwlock, TimeSpec* time)
        {
            if (TryWrite(rwlock))
                return 0;
            long deadline = Deadline.FromTimespec(time, Deadline.ClockRealtime);
            return deadline < 0 ? (int)-deadline : EnterWrite(rwlock, (ulong)deadline);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_trywrlock")]
        public static int TryWriteLock(ReaderWriterLock* rwlock) => TryWrite(rwlock) ? 0 : LibcErrors.EBUSY;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlock_unlock")]
        public static int Unlock(ReaderWriterLock* rwlock)
        {
            int state = Volatile.Read(ref rwlock->State);
            if (state == 0)
                return LibcErrors.EPERM;
            if ((state & WriterBit) != 0)
            {
                if (rwlock->Writer != ThreadIdentity.Current)
                    return LibcErrors.EPERM;
                rwlock->Writer = 0;
                Interlocked.Exchange(ref rwlock->State, 0);
            }
            else if (Interlocked.Decrement(ref rwlock->State) != 0)
                return 0;
            Interlocked.Increment(ref rwlock->Sequence);
            if (Volatile.Read(ref rwlock->Waiters) != 0)
                AddressWait.Wake(&rwlock->Sequence, int.MaxValue);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlockattr_init")]
        public static int AttrInit(long* attributes)
        {
            *attributes = 0;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_rwlockattr_destroy")]
        public static int AttrDestroy(long* attributes) => 0;

        private static bool TryRead(ReaderWriterLock* rwlock)
        {
            while (true)
            {
                int state = Volatile.Read(ref rwlock->State);
                if ((state & WriterBit) != 0 || state == WriterBit - 1)
                    return false;
                if (Interlocked.CompareExchange(ref rwlock->State, state + 1, state) == state)
                    return true;
            }
        }

        private static bool TryWrite(ReaderWriterLock* rwlock)
        {
            if (Interlocked.CompareExchange(ref rwlock->State, WriterBit, 0) != 0)
                return false;
            rwlock->Writer = ThreadIdentity.Current;
            return true;
        }

        [MaySleep]
        private static int EnterRead(ReaderWriterLock* rwlock, ulong deadline)
        {
            while (!TryRead(rwlock))
            {
                if (Volatile.Read(ref rwlock->Writer) == ThreadIdentity.Current)
                    return LibcErrors.EDEADLK;
                if (SleepUntilReleased(rwlock, deadline, WriterBit) == LibcErrors.ETIMEDOUT)
                    return LibcErrors.ETIMEDOUT;
            }
            return 0;
        }

        [MaySleep]
        private static int EnterWrite(ReaderWriterLock* rwlock, ulong deadline)
        {
            while (!TryWrite(rwlock))
            {
                if (Volatile.Read(ref rwlock->Writer) == ThreadIdentity.Current)
                    return LibcErrors.EDEADLK;
                if (SleepUntilReleased(rwlock, deadline, -1) == LibcErrors.ETIMEDOUT)
                    return LibcErrors.ETIMEDOUT;
            }
            return 0;
        }

        /// <summary>Sleeps until the next release, while the state has any of <paramref name="blockingBits"/> (or returns at once if one happened since the caller's failed attempt).</summary>
        [MaySleep]
        private static int SleepUntilReleased(ReaderWriterLock* rwlock, ulong deadline, int blockingBits)
        {
            Interlocked.Increment(ref rwlock->Waiters);
            int sequence = Volatile.Read(ref rwlock->Sequence);
            int result = 0;
            if ((Volatile.Read(ref rwlock->State) & blockingBits) != 0) // still held (a writer: any holder; a reader: a writer): a release after this read advances the sequence
                result = AddressWait.Wait(&rwlock->Sequence, sequence, deadline);
            Interlocked.Decrement(ref rwlock->Waiters);
            return result;
        }
    }
}
