using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Linux;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthread_mutex_t (40 bytes) with glibc's field offsets, so that glibc's static initializers work:
    /// the lock word at 0 (0 free, 1 held, 2 held with sleepers: Drepper's three-state futex mutex,
    /// sleeping in <see cref="AddressWait"/>), the recursion count at 4, the owner at 8
    /// (<see cref="ThreadIdentity"/>), the kind at 16 (0 normal/default, 1 recursive, 2 error
    /// checking, 3 adaptive = normal). PTHREAD_MUTEX_INITIALIZER is all zero: a normal mutex.
    /// pthread_mutexattr_t (4 bytes) holds the kind.
    /// </summary>
    internal static unsafe class PthreadMutex
    {
        public const int Normal = 0;
        public const int Recursive = 1;
        public const int ErrorCheck = 2;
        public const int Adaptive = 3;

        [StructLayout(LayoutKind.Explicit, Size = 40)]
        public struct Mutex
        {
            [FieldOffset(0)] public int Lock;
            [FieldOffset(4)] public uint Count;
            [FieldOffset(8)] public int Owner;
            [FieldOffset(16)] public int Kind;
        }

        private static int KindOf(Mutex* mutex) => mutex->Kind & 3;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutex_init")]
        public static int Init(Mutex* mutex, int* attributes)
        {
            *mutex = default;
            mutex->Kind = attributes == null ? Normal : *attributes & 3;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutex_destroy")]
        public static int Destroy(Mutex* mutex) => Volatile.Read(ref mutex->Lock) != 0 ? LibcErrors.EBUSY : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutex_lock")]
        public static int LockEntry(Mutex* mutex) => Lock(mutex, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutex_timedlock")]
        public static int TimedLock(Mutex* mutex, TimeSpec* time)
        {
            if (TryAcquireFast(mutex))
                return 0; // POSIX: a free mutex is taken whatever the timeout says
            long deadline = Deadline.FromTimespec(time, Deadline.ClockRealtime);
            if (deadline < 0)
                return (int)-deadline;
            return Lock(mutex, (ulong)deadline);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutex_trylock")]
        public static int TryLock(Mutex* mutex) => TryLockMutex(mutex);

        /// <summary>pthread_mutex_trylock's body (also ftrylockfile's): 0, or EBUSY.</summary>
        public static int TryLockMutex(Mutex* mutex)
        {
            int me = ThreadIdentity.Current;
            if (KindOf(mutex) == Recursive && Volatile.Read(ref mutex->Owner) == me)
                return Recount(mutex);
            if (Interlocked.CompareExchange(ref mutex->Lock, 1, 0) != 0)
                return LibcErrors.EBUSY;
            mutex->Owner = me;
            mutex->Count = 1;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutex_unlock")]
        public static int UnlockEntry(Mutex* mutex) => Unlock(mutex);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutex_consistent")]
        public static int Consistent(Mutex* mutex) => LibcErrors.EINVAL; // no robust mutexes

        // ---- attributes ----

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutexattr_init")]
        public static int AttrInit(int* attributes)
        {
            *attributes = Normal;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutexattr_destroy")]
        public static int AttrDestroy(int* attributes) => 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutexattr_settype")]
        public static int AttrSetType(int* attributes, int kind)
        {
            if (kind < Normal || kind > Adaptive)
                return LibcErrors.EINVAL;
            *attributes = (*attributes & ~3) | kind;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutexattr_gettype")]
        public static int AttrGetType(int* attributes, int* kind)
        {
            *kind = *attributes & 3;
            return 0;
        }

        /// <summary>One address space: process-shared and private are the same thing; the flag is kept for the getter.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutexattr_setpshared")]
        public static int AttrSetShared(int* attributes, int shared)
        {
            if (shared != 0 && shared != 1)
                return LibcErrors.EINVAL;
            *attributes = (*attributes & ~(1 << 8)) | (shared << 8);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_mutexattr_getpshared")]
        public static int AttrGetShared(int* attributes, int* shared)
        {
            *shared = (*attributes >> 8) & 1;
            return 0;
        }

        // ---- shared with the condition variables ----

        private static bool TryAcquireFast(Mutex* mutex)
        {
            if (KindOf(mutex) == Recursive && Volatile.Read(ref mutex->Owner) == ThreadIdentity.Current)
                return false;
            if (Interlocked.CompareExchange(ref mutex->Lock, 1, 0) != 0)
                return false;
            mutex->Owner = ThreadIdentity.Current;
            mutex->Count = 1;
            return true;
        }

        private static int Recount(Mutex* mutex)
        {
            if (mutex->Count == uint.MaxValue)
                return LibcErrors.EAGAIN;
            mutex->Count++;
            return 0;
        }

        /// <summary>Locks (deadline: ns since boot, 0 none); 0, EDEADLK, EAGAIN or ETIMEDOUT.</summary>
        [MaySleep]
        public static int Lock(Mutex* mutex, ulong deadline)
        {
            int me = ThreadIdentity.Current;
            int kind = KindOf(mutex);
            if (kind != Normal && kind != Adaptive && Volatile.Read(ref mutex->Owner) == me)
                return kind == Recursive ? Recount(mutex) : LibcErrors.EDEADLK;
            int state = Interlocked.CompareExchange(ref mutex->Lock, 1, 0);
            if (state != 0)
            {
                if (state != 2)
                    state = Interlocked.Exchange(ref mutex->Lock, 2);
                while (state != 0)
                {
                    if (AddressWait.Wait(&mutex->Lock, 2, deadline) == LibcErrors.ETIMEDOUT)
                        return LibcErrors.ETIMEDOUT;
                    state = Interlocked.Exchange(ref mutex->Lock, 2);
                }
            }
            mutex->Owner = me;
            mutex->Count = 1;
            return 0;
        }

        /// <summary>Unlocks; EPERM when a recursive or error-checking mutex is not the caller's.</summary>
        public static int Unlock(Mutex* mutex)
        {
            int kind = KindOf(mutex);
            if (kind == Recursive || kind == ErrorCheck)
            {
                if (Volatile.Read(ref mutex->Owner) != ThreadIdentity.Current || Volatile.Read(ref mutex->Lock) == 0)
                    return LibcErrors.EPERM;
                if (kind == Recursive && --mutex->Count != 0)
                    return 0;
            }
            mutex->Owner = 0;
            mutex->Count = 0;
            if (Interlocked.Exchange(ref mutex->Lock, 0) == 2)
                AddressWait.Wake(&mutex->Lock, 1);
            return 0;
        }

        /// <summary>For pthread_cond_wait: EPERM when an error-checking or recursive mutex is not held by the caller.</summary>
        public static bool IsOwnedElsewhere(Mutex* mutex)
        {
            int kind = KindOf(mutex);
            return (kind == Recursive || kind == ErrorCheck) && Volatile.Read(ref mutex->Owner) != ThreadIdentity.Current;
        }

        /// <summary>Releases a mutex entirely (a recursive one at any depth) before a condition wait; returns the depth to restore.</summary>
        public static uint ReleaseForWait(Mutex* mutex)
        {
            uint depth = mutex->Count == 0 ? 1 : mutex->Count;
            mutex->Count = 1; // so that a recursive mutex is released at once
            Unlock(mutex);
            return depth;
        }

        /// <summary>Takes the mutex back after a condition wait (with the sleepers state: others may wait too) at its old depth.</summary>
        [MaySleep]
        public static void ReacquireAfterWait(Mutex* mutex, uint depth)
        {
            int state = Interlocked.Exchange(ref mutex->Lock, 2);
            while (state != 0)
            {
                AddressWait.Wait(&mutex->Lock, 2, 0);
                state = Interlocked.Exchange(ref mutex->Lock, 2);
            }
            mutex->Owner = ThreadIdentity.Current;
            mutex->Count = depth;
        }
    }
}
