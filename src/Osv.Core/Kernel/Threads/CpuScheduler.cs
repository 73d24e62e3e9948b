using Osv.Arch.X64.Smp;
using Osv.Core.Time;

namespace Osv.Core.Threads
{
    /// <summary>
    /// One CPU's share of the scheduler: its run queue and lock, its running and idle threads, and the
    /// work a context switch leaves for the thread that comes next (see <see cref="Scheduler"/>).
    /// Fields marked "lock" change only under <see cref="Lock"/>; the counters are read racily by
    /// the load balancer and RCU.
    /// </summary>
    internal sealed unsafe class CpuScheduler
    {
        internal SpinLock Lock;
        internal readonly ThreadQueue RunQueue = new ThreadQueue(); // lock
        internal int Queued;                                        // lock; RunQueue's length
        internal KernelThread Current = null!;                      // lock
        internal KernelThread Idle = null!;
        internal readonly int Index;
        internal bool NeedReschedule;                               // the time slice is over
        /// <summary>Context switches plus ticks that interrupted preemptible code: RCU's quiescent states.</summary>
        internal long QuiescentStates;
        internal int IsIdle;                                        // halted in the idle loop
        internal KernelThread? Exiting;                             // lock; the thread that switched away for good
        internal KernelThread? Migrating;                           // lock; the thread that switched away to another CPU
        internal long TableGeneration;                              // KernelPageTables.Generation at this CPU's last flush
        /// <summary>The CPU's own exception and interrupt stacks, used by its boot or idle thread.</summary>
        internal ulong ExceptionStackTop;
        internal ulong InterruptStackTop;
        internal TimerEntry* Tick;
        /// <summary>The CPU's own thread control block (%fs for kernel threads), and what %fs holds now.</summary>
        internal ulong DefaultThreadPointer;
        internal ulong LoadedThreadPointer;

        internal CpuScheduler(int index) { Index = index; }
    }
}
