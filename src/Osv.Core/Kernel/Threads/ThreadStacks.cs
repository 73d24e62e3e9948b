using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Memory;
using Osv.Core.Diagnostics;
using Osv.Core.Memory;

namespace Osv.Core.Threads
{
    /// <summary>
    /// A kernel thread's three stacks in one page run: [guard][stack][guard][interrupt stack][guard]
    /// [exception stack]. The guard pages are unmapped while the thread lives, so an overflow faults
    /// (the panic names the guard page) instead of corrupting a neighbour.
    /// </summary>
    public unsafe struct ThreadStacks
    {
        public const int StackPages = 2;
        private const ulong PageSize = 4096;
        private const int SlotPages = 1 + StackPages;
        public const int Pages = 3 * SlotPages;

        public ulong Base;

        /// <summary>A lazily mapped own stack (application threads), used instead of the populated slot.</summary>
        public ulong LazyBottom;
        public ulong LazySize;

        private ulong Guard(int slot) => Base + (ulong)(slot * SlotPages) * PageSize;
        private ulong Bottom(int slot) => Guard(slot) + PageSize;
        private ulong Top(int slot) => Bottom(slot) + StackPages * PageSize;

        public ulong StackTop => LazySize != 0 ? LazyBottom + LazySize : Top(0);
        public ulong InterruptStackTop => Top(1);
        public ulong ExceptionStackTop => Top(2);

        /// <summary>
        /// Where `syscall` runs for this thread: an application thread (lazy own stack) leaves its
        /// populated first slot free for it; a kernel thread has none (0) and may not use `syscall`.
        /// </summary>
        public ulong SyscallStackTop => LazySize != 0 ? Top(0) : 0;

        public static bool TryAllocate(PageSource pages, ulong lazyStackSize, out ThreadStacks stacks)
        {
            stacks.LazyBottom = 0;
            stacks.LazySize = 0;
            if (lazyStackSize != 0)
            {
                stacks.LazyBottom = LazyStacks.Reserve(lazyStackSize, out ulong lazyTop);
                if (stacks.LazyBottom == 0)
                {
                    stacks.Base = 0;
                    return false;
                }
                stacks.LazySize = lazyTop - stacks.LazyBottom;
            }
            stacks.Base = (ulong)pages.Allocate(Pages);
            if (stacks.Base == 0 && stacks.LazySize != 0)
                LazyStacks.Release(stacks.LazyBottom, stacks.LazySize);
            if (stacks.Base == 0)
                return false;
            // Page tables and the known-stack table are shared: change them with preemption excluded.
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            bool guarded = stacks.GuardLocked();
            if (!guarded)
                stacks.UnguardLocked(); // map back whichever guards were already taken
            Cpu.RestoreInterrupts(wereEnabled);
            if (!guarded)
            {
                pages.Free((void*)stacks.Base, Pages);
                if (stacks.LazySize != 0)
                    LazyStacks.Release(stacks.LazyBottom, stacks.LazySize);
            }
            return guarded;
        }

        [RequiresInterruptsDisabled]
        private bool GuardLocked()
        {
            for (int slot = 0; slot < 3; slot++)
            {
                if (!KernelPageTables.Reserve4K(Guard(slot)))
                    return false;
                KnownStacks.Register(Bottom(slot), Top(slot));
            }
            KernelPageTables.FlushAll();
            return true;
        }

        /// <summary>Maps the guard pages back (the allocator writes into free pages) and returns the run.</summary>
        public void Free(PageSource pages)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            UnguardLocked();
            Cpu.RestoreInterrupts(wereEnabled);
            pages.Free((void*)Base, Pages);
            Base = 0;
            if (LazySize != 0)
                LazyStacks.Release(LazyBottom, LazySize);
            LazySize = 0;
        }

        [RequiresInterruptsDisabled]
        private void UnguardLocked()
        {
            for (int slot = 0; slot < 3; slot++)
            {
                KnownStacks.Unregister(Bottom(slot));
                KernelPageTables.Map4K(Guard(slot), PageTableEntry.KernelData);
            }
            KernelPageTables.FlushAll();
        }
    }
}
