using System.Runtime.CompilerServices;
using Osv.Arch.X64.Smp;
using Osv.Core.Time;

namespace Osv.Core.Threads
{
    public enum ThreadState
    {
        Runnable,
        Running,
        Blocked,
        /// <summary>Its last switch is under way: the stacks are still in use until the next thread on that CPU marks it dead.</summary>
        Exiting,
        Dead,
    }

    /// <summary>
    /// A thread's control block. Its stacks (own, interrupt, exception; each above a guard page) live
    /// in <see cref="ThreadStacks"/>; the scheduler frees both when the thread is joined or, if
    /// detached, after it exits.
    /// </summary>
    public sealed unsafe class KernelThread
    {
        internal ulong SavedStackPointer;
        internal ThreadState State;
        internal KernelThread? Next; // run queue or wait queue link
        internal KernelThread? Joiner;
        internal bool Detached;
        internal ThreadStacks Stacks;
        internal delegate*<void*, void> Entry;
        internal void* Argument;
        internal TimerEntry* SleepTimer;
        /// <summary>The CPU whose run queue holds the thread (or last ran it); changes only under that queue's lock.</summary>
        internal int Cpu;
        /// <summary>-1, or the only CPU the thread may run on.</summary>
        internal int PinnedCpu = -1;
        /// <summary>Nesting of <see cref="Scheduler.DisablePreemption"/>: the thread's own, so it survives migration.</summary>
        internal int PreemptionDisabled;
        /// <summary>Orders exit against join and detach (the exiting and the joining thread run on different CPUs).</summary>
        internal SpinLock LifeLock;
        /// <summary>The thread's own %fs base (an application thread's TLS block), or 0 for its CPU's block.</summary>
        internal ulong ThreadPointer;

        public int Id { get; internal set; }

        internal void* AsPointer()
        {
            KernelThread self = this;
            return *(void**)Unsafe.AsPointer(ref self);
        }

        internal static KernelThread FromPointer(void* pointer) => Unsafe.As<byte, KernelThread>(ref *(byte*)&pointer);
    }
}
