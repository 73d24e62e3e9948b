using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Core.Threads
{
    /// <summary>
    /// Caller-owned storage for one deferred callback (like Linux's rcu_head): embed it in the object
    /// the callback frees, so deferring never allocates.
    /// </summary>
    public unsafe struct RcuCallback
    {
        internal RcuCallback* Next;
        internal delegate*<RcuCallback*, void> Function;
    }

    /// <summary>
    /// Read-copy-update. Readers run with preemption disabled (<see cref="ReadLock"/>), so a read-side
    /// section never spans a context switch: once every other CPU has switched, idled, or taken a tick
    /// in preemptible code, every reader that could have seen an old version is done (a grace period).
    /// <see cref="Synchronize"/> waits for one; <see cref="Defer"/> hands a callback to the "rcu"
    /// thread (started on first use), which runs batches of callbacks after a grace period each.
    /// </summary>
    public static unsafe class Rcu
    {
        private static SpinLock s_lock;
        private static RcuCallback* s_pending;
        private static KernelSemaphore? s_work;
        private static KernelThread? s_thread;
        private static int s_starting;
        private static long s_completed;
        private static long s_gracePeriods;

        /// <summary>Deferred callbacks that have run.</summary>
        public static long CompletedCallbacks => Volatile.Read(ref s_completed);

        /// <summary>Grace periods <see cref="Synchronize"/> has waited for.</summary>
        public static long GracePeriods => Volatile.Read(ref s_gracePeriods);

        /// <summary>Starts a read-side section (nests). Readers must not sleep.</summary>
        [DisablesPreemption]
        public static void ReadLock() => Scheduler.DisablePreemption();

        [EnablesPreemption]
        public static void ReadUnlock() => Scheduler.EnablePreemption();

        /// <summary>Waits until every read-side section that began before the call has ended.</summary>
        [MaySleep]
        public static void Synchronize()
        {
            int cpus = Scheduler.CpuCount;
            long* seen = stackalloc long[cpus];
            for (int i = 0; i < cpus; i++)
                seen[i] = Scheduler.QuiescentStates(i, out _);
            // This thread may sleep, so it is in no read-side section; other threads of this CPU are
            // not either (a reader is never switched out). Only the other CPUs need watching.
            int self = Scheduler.CurrentCpu;
            for (int i = 0; i < cpus; i++)
            {
                while (i != self)
                {
                    long now = Scheduler.QuiescentStates(i, out bool idle);
                    if (now != seen[i] || idle)
                        break;
                    Scheduler.Sleep(1000000);
                }
            }
            Interlocked.Increment(ref s_gracePeriods);
        }

        /// <summary>
        /// Runs <paramref name="function"/>(<paramref name="callback"/>) after a grace period, on the rcu
        /// thread. The callback storage must stay valid until then. False when the rcu thread cannot start.
        /// </summary>
        public static bool Defer(RcuCallback* callback, delegate*<RcuCallback*, void> function)
        {
            if (!EnsureThread())
                return false;
            callback->Function = function;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            callback->Next = s_pending;
            s_pending = callback;
            s_lock.Unlock(wereEnabled);
            s_work!.Release();
            return true;
        }

        private static bool EnsureThread()
        {
            if (Volatile.Read(ref s_starting) == 2)
                return true;
            if (Interlocked.CompareExchange(ref s_starting, 1, 0) == 0)
            {
                s_work = new KernelSemaphore(0);
                s_thread = Scheduler.Create(&CallbackThread, null);
                Volatile.Write(ref s_starting, s_thread == null ? 0 : 2);
                return s_thread != null;
            }
            while (Volatile.Read(ref s_starting) == 1)
                Scheduler.Yield();
            return Volatile.Read(ref s_starting) == 2;
        }

        [MaySleep]
        private static void CallbackThread(void* unused)
        {
            while (true)
            {
                s_work!.Wait();
                Stack.PrefaultNextPageIfPreemptible();
                bool wereEnabled = s_lock.Lock();
                RcuCallback* batch = s_pending;
                s_pending = null;
                s_lock.Unlock(wereEnabled);
                if (batch == null)
                    continue; // an earlier batch took this one's callbacks too
                Synchronize();
                while (batch != null)
                {
                    RcuCallback* next = batch->Next;
                    batch->Function(batch);
                    Interlocked.Increment(ref s_completed);
                    batch = next;
                }
            }
        }
    }
}
