using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Boot;
using Osv.Arch.X64.Smp;
using Osv.Core.Memory;

namespace Osv.Kernel
{
    /// <summary>
    /// The kernel's physical page allocator and heap, fed from the PVH memory map. One spin lock covers
    /// both (the heap takes its pages straight from the allocator), so every CPU and thread can share
    /// them; it keeps interrupts off while held, so an interrupt handler that allocates cannot deadlock.
    /// </summary>
    internal static unsafe class KernelMemory
    {
        // Single static instances: the allocator keeps its state in the memory it manages and must never be copied.
        private static PhysicalPageAllocator s_pages;
        private static KernelHeap s_heap;
        private static SpinLock s_lock;

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
            bool wereEnabled = s_lock.Lock();
            void* pages = Pages->AllocatePages(count);
            s_lock.Unlock(wereEnabled);
            return pages;
        }

        public static void FreePages(void* pages, nuint count)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            Pages->FreePages(pages, count);
            s_lock.Unlock(wereEnabled);
        }

        public static void* AllocateZeroed(nuint size)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            void* block = Heap->AllocateZeroed(size);
            s_lock.Unlock(wereEnabled);
            return block;
        }

        /// <summary>malloc: a 16-byte aligned block, not zeroed; null when memory runs out.</summary>
        public static void* Allocate(nuint size)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            void* block = Heap->Allocate(size);
            s_lock.Unlock(wereEnabled);
            return block;
        }

        /// <summary>Frees a block and says whether the heap recognized it (nothing changes otherwise).</summary>
        public static HeapFreeStatus TryFree(void* block)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            HeapFreeStatus status = Heap->Free(block);
            s_lock.Unlock(wereEnabled);
            return status;
        }

        /// <summary>True when <paramref name="address"/> lies in a page the page allocator has handed out (readable memory).</summary>
        public static bool IsAllocatedPage(void* address)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            bool allocated = Pages->IsAllocated(address);
            s_lock.Unlock(wereEnabled);
            return allocated;
        }

        /// <summary>The usable bytes of a block the heap handed out, 0 for any other pointer.</summary>
        public static nuint UsableSize(void* block)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            nuint size = Heap->UsableSize(block);
            s_lock.Unlock(wereEnabled);
            return size;
        }

        public static void Free(void* block)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            Heap->Free(block);
            s_lock.Unlock(wereEnabled);
        }

        public static void* Reallocate(void* block, nuint size)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            void* result = Heap->Reallocate(block, size);
            s_lock.Unlock(wereEnabled);
            return result;
        }
    }
}
