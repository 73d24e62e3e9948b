using System.Runtime.CompilerServices;
using Osv.Core.Time;

namespace Osv.Core.Threads
{
    public enum ThreadState
    {
        Runnable,
        Running,
        Blocked,
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

        public int Id { get; internal set; }

        internal void* AsPointer()
        {
            KernelThread self = this;
            return *(void**)Unsafe.AsPointer(ref self);
        }

        internal static KernelThread FromPointer(void* pointer) => Unsafe.As<byte, KernelThread>(ref *(byte*)&pointer);
    }
}
