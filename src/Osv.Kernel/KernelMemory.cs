using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Boot;
using Osv.Core.Memory;

namespace Osv.Kernel
{
    /// <summary>
    /// The kernel's physical page allocator and heap, fed from the PVH memory map. Every entry point
    /// runs with interrupts off: on one CPU that excludes preemption, so threads can share them.
    /// (Secondary CPUs do not allocate yet; they will need a spin lock here as well.)
    /// </summary>
    internal static unsafe class KernelMemory
    {
        // Single static instances: the allocator keeps its state in the memory it manages and must never be copied.
        private static PhysicalPageAllocator s_pages;
        private static KernelHeap s_heap;

        public static PhysicalPageAllocator* Pages
        {
            get
            {
                fixed (PhysicalPageAllocator* pages = &s_pages)
                    return pages;
            }
        }

        private static KernelHeap* Heap
        {
            get
            {
                fixed (KernelHeap* heap = &s_heap)
                    return heap;
            }
        }

        public static ulong LiveAllocations => (ulong)Heap->LiveAllocations;
        public static ulong TotalBytes => (ulong)Pages->TotalPageCount * 4096;
        public static ulong FreeBytes => (ulong)Pages->FreePageCount * 4096;

        /// <summary>Hands every usable range above the kernel image to the page allocator. Returns the page count.</summary>
        public static ulong Initialize(PvhStartInfo startInfo)
        {
            ulong firstFree = (BootImage.ImageEnd + 4095) & ~4095UL;
            for (int i = 0; i < startInfo.MemoryRangeCount; i++)
            {
                MemoryRange range = startInfo.GetMemoryRange(i);
                if (!range.IsUsable)
                    continue;
                ulong start = range.Start;
                ulong end = range.Start + range.Length;
                if (end <= firstFree)
                    continue;
                if (start < firstFree)
                    start = firstFree;
                Pages->AddRegion((nuint)start, (nuint)(end - start));
            }
            *Heap = new KernelHeap(Pages);
            return (ulong)Pages->TotalPageCount;
        }

        public static ulong AllocatePageForTables() => (ulong)AllocatePages(1);

        public static void* AllocatePages(nuint count)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            void* pages = Pages->AllocatePages(count);
            Cpu.RestoreInterrupts(wereEnabled);
            return pages;
        }

        public static void FreePages(void* pages, nuint count)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            Pages->FreePages(pages, count);
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public static void* AllocateZeroed(nuint size)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            void* block = Heap->AllocateZeroed(size);
            Cpu.RestoreInterrupts(wereEnabled);
            return block;
        }

        public static void Free(void* block)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            Heap->Free(block);
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public static void* Reallocate(void* block, nuint size)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            void* result = Heap->Reallocate(block, size);
            Cpu.RestoreInterrupts(wereEnabled);
            return result;
        }
    }
}
