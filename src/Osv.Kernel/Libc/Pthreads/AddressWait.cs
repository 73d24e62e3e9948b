using System.Runtime.CompilerServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Arch.X64.Smp;
using Osv.Core.Threads;
using Osv.Core.Time;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// Sleeping on a 32-bit word, the futex idea inside the kernel: <see cref="Wait"/> blocks only
    /// while the word still holds the expected value (checked under the bucket lock, so a
    /// <see cref="Wake"/> after the change cannot be lost); waiters are nodes on their own stacks,
    /// queued in one of 256 buckets hashed by address. Every pthread object keeps its state inside the
    /// application's own (glibc-sized) memory and sleeps here, so static initializers (all zero) need
    /// no set-up and destroy frees nothing.
    /// <para>
    /// Timeouts: a kernel timer on the waiter's stack. Its callback marks the node and wakes the thread
    /// under the bucket lock, and sets <see cref="Waiter.TimerDone"/> last; a waiter whose cancel comes
    /// too late waits for that flag before its frame (and the node) goes away.
    /// </para>
    /// </summary>
    internal static unsafe class AddressWait
    {
        private const int BucketCount = 256;

        private struct Bucket
        {
            public SpinLock Lock;
            public Waiter* Head;
        }

        private struct Waiter
        {
            public int* Address;
            public nint Thread; // the KernelThread reference
            public Waiter* Next;
            public Waiter* Previous;
            public int Queued;
            public int Woken;
            public int TimedOut;
            public int TimerDone;
            public TimerEntry Timer;
        }

        private static readonly Bucket[] s_buckets = new Bucket[BucketCount];

        private static ref Bucket BucketOf(int* address)
        {
            ulong key = (ulong)address >> 2;
            key ^= key >> 8;
            key ^= key >> 16;
            return ref s_buckets[(int)(key & (BucketCount - 1))];
        }

        /// <summary>
        /// Sleeps while *<paramref name="address"/> == <paramref name="expected"/> until a
        /// <see cref="Wake"/> or the deadline (ns since boot; 0: none). Returns 0 when woken, EAGAIN
        /// when the word had changed, ETIMEDOUT when the deadline passed.
        /// </summary>
        [MaySleep]
        public static int Wait(int* address, int expected, ulong deadline)
        {
            Waiter waiter = default;
            waiter.Address = address;
            KernelThread self = Scheduler.Current;
            waiter.Thread = Unsafe.As<KernelThread, nint>(ref self);
            bool armed = false;
            if (deadline != 0)
            {
                if (deadline <= TscClock.NanosecondsSinceBoot)
                    return LibcErrors.ETIMEDOUT;
                waiter.Timer = new TimerEntry(&OnTimeout, &waiter);
                armed = KernelTimers.ArmAt(&waiter.Timer, deadline, 0);
                if (!armed)
                    return LibcErrors.ENOMEM;
            }

            ref Bucket bucket = ref BucketOf(address);
            int result;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = bucket.Lock.Lock();
            if (waiter.TimedOut != 0)
                result = LibcErrors.ETIMEDOUT;
            else if (Volatile.Read(ref *address) != expected)
                result = LibcErrors.EAGAIN;
            else
            {
                Enqueue(ref bucket, &waiter);
                Scheduler.BlockAndUnlock(ref bucket.Lock);
                bucket.Lock.LockWithInterruptsOff();
                if (waiter.Queued != 0)
                    Remove(ref bucket, &waiter); // woken by something else: leave the queue all the same
                result = waiter.Woken != 0 ? 0 : waiter.TimedOut != 0 ? LibcErrors.ETIMEDOUT : 0;
            }
            bucket.Lock.Unlock(wereEnabled);

            if (armed && !KernelTimers.Cancel(&waiter.Timer))
            {
                while (Volatile.Read(ref waiter.TimerDone) == 0)
                    Cpu.Pause(); // the callback runs (interrupts off, on some CPU): it ends in a few instructions
            }
            return result;
        }

        /// <summary>Wakes up to <paramref name="count"/> threads waiting on <paramref name="address"/>; returns how many.</summary>
        public static int Wake(int* address, int count)
        {
            ref Bucket bucket = ref BucketOf(address);
            int woken = 0;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = bucket.Lock.Lock();
            Waiter* waiter = bucket.Head;
            while (waiter != null && woken < count)
            {
                Waiter* next = waiter->Next;
                if (waiter->Address == address)
                {
                    Remove(ref bucket, waiter);
                    waiter->Woken = 1;
                    nint thread = waiter->Thread;
                    Scheduler.Wake(Unsafe.As<nint, KernelThread>(ref thread));
                    woken++;
                }
                waiter = next;
            }
            bucket.Lock.Unlock(wereEnabled);
            return woken;
        }

        [RequiresInterruptsDisabled] // a timer callback
        private static void OnTimeout(TimerEntry* timer)
        {
            Waiter* waiter = (Waiter*)timer->State;
            ref Bucket bucket = ref BucketOf(waiter->Address);
            bucket.Lock.LockWithInterruptsOff();
            waiter->TimedOut = 1;
            if (waiter->Queued != 0)
            {
                Remove(ref bucket, waiter);
                nint thread = waiter->Thread;
                Scheduler.Wake(Unsafe.As<nint, KernelThread>(ref thread));
            }
            bucket.Lock.UnlockWithInterruptsOff();
            Volatile.Write(ref waiter->TimerDone, 1); // last touch of the waiter's stack
        }

        private static void Enqueue(ref Bucket bucket, Waiter* waiter)
        {
            waiter->Previous = null;
            waiter->Next = bucket.Head;
            if (bucket.Head != null)
                bucket.Head->Previous = waiter;
            bucket.Head = waiter;
            waiter->Queued = 1;
        }

        private static void Remove(ref Bucket bucket, Waiter* waiter)
        {
            if (waiter->Previous != null)
                waiter->Previous->Next = waiter->Next;
            else
                bucket.Head = waiter->Next;
            if (waiter->Next != null)
                waiter->Next->Previous = waiter->Previous;
            waiter->Next = null;
            waiter->Previous = null;
            waiter->Queued = 0;
        }
    }
}
