namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// What a pthread_t points at: one per thread pthread_create started (or the loader adopted), on
    /// the kernel heap. Freed by pthread_join, or by the thread itself at exit when detached (whoever
    /// moves <see cref="State"/> second frees it).
    /// </summary>
    internal unsafe struct ThreadDescriptor
    {
        public const ulong MagicValue = 0x6f73762d70746872; // "osv-pthr"
        public const int Joinable = 0;
        public const int Detached = 1;
        public const int Exited = 2;
        public const int KeyBlockCount = 32;
        public const int KeysPerBlock = 32;

        public ulong Magic;
        public nint Thread; // the KernelThread reference; 0 until pthread_create has it
        public delegate* unmanaged<void*, void*> Start;
        public void* Argument;
        public void* Result;
        public ulong ThreadPointer;
        public ulong StackSize;
        public ulong StackAddress; // lowest address; set by the thread when it starts
        public ulong GuardSize;
        public int State;
        public int Adopted;
        public int Tid;            // the kernel thread id, once the thread runs (signals: pthread_kill)
        public int Program;        // the creator's program (0: none), whose signal participant the thread becomes
        public ulong SignalMask;   // the creator's signal mask, the new thread's first
        public fixed byte Name[16];
        public void* ExitDestructors; // __cxa_thread_atexit_impl's list (ThreadExitDestructors), newest first
        public fixed ulong KeyBlocks[KeyBlockCount]; // KeyValue[KeysPerBlock] each, allocated on first use
    }

    /// <summary>A thread's value for one key, valid while its sequence matches the key's.</summary>
    internal unsafe struct KeyValue
    {
        public long Sequence;
        public void* Value;
    }
}
