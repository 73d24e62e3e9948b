using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Memory;
using Osv.Core.Diagnostics;
using Osv.Core.Memory;

namespace Osv.Core.Memory
{
    /// <summary>
    /// Lazily mapped stacks (application threads): address space is reserved above the identity map,
    /// only the top page is populated, and the page-fault handler maps each further page on first
    /// touch. The page under the reservation is a guard: running into it is a stack overflow, reported
    /// by the panic, never silent corruption. One spin lock covers the reservations and the pool.
    /// The fault handler takes pages from a reserve pool, not from the page allocator, so a fault never
    /// waits on the allocator's lock.
    /// </summary>
    public static unsafe class LazyStacks
    {
        private const ulong PageSize = 4096;
        private const ulong AreaStart = 0x0000_2000_0000_0000;
        private const ulong AreaEnd = 0x0000_3000_0000_0000;
        private const int MaxFreeRanges = 64;

        private struct FreeRanges
        {
            public fixed ulong Bases[MaxFreeRanges];
            public fixed ulong Sizes[MaxFreeRanges];
            public int Count;
        }

        private const int PoolSize = 64; // refilled at every reservation and, when low, at every thread switch

        private struct PagePool
        {
            public fixed ulong Pages[PoolSize];
            public int Count;
        }

        private static PageSource s_pages;
        private static PagePool s_pool;
        private static ulong s_next = AreaStart;
        private static FreeRanges s_free;
        private static long s_mappedPages;
        private static Osv.Arch.X64.Smp.SpinLock s_lock;

        /// <summary>Pages mapped into lazy stacks right now (populated on reservation or by faults).</summary>
        public static long MappedPages => s_mappedPages;

        /// <summary>Installs the fault handler. The pool fills at the first reservation: no lazy stack, no fault.</summary>
        public static void Initialize(PageSource pages)
        {
            s_pages = pages;
            TrapDispatcher.RegisterPageFaultHandler(&HandlePageFault);
        }

        /// <summary>Whether <paramref name="address"/> lies where lazy stacks are reserved (application threads' stacks).</summary>
        public static bool InArea(ulong address) => address >= AreaStart && address < AreaEnd;

        /// <summary>Whether <paramref name="address"/> is a page of a lazy stack that no touch has mapped yet.</summary>
        public static bool IsUnpopulated(ulong address)
            => address >= AreaStart && address < AreaEnd && (KernelPageTables.Translate(address & ~(PageSize - 1)) & KernelPageTables.LazyMarker) != 0;

        /// <summary>Tops up the pool when it is half empty (the scheduler calls this at every switch).</summary>
        public static void RefillIfLow()
        {
            if (s_pool.Count < PoolSize / 2)
                Refill();
        }

        /// <summary>Tops up the fault handler's page pool (thread context, never inside a fault).</summary>
        public static void Refill()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            fixed (PagePool* pool = &s_pool)
            {
                while (pool->Count < PoolSize)
                {
                    ulong page = (ulong)s_pages.Allocate(1);
                    if (page == 0)
                        break;
                    pool->Pages[pool->Count++] = page;
                }
            }
            s_lock.Unlock(wereEnabled);
        }

        /// <summary>
        /// Reserves a stack of <paramref name="size"/> bytes (rounded to pages) above a guard page and
        /// populates its top page. Returns the stack's lowest address (its guard page is just below), or 0.
        /// </summary>
        public static ulong Reserve(ulong size, out ulong top)
        {
            Refill();
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            ulong bottom = ReserveLocked(size, out top);
            s_lock.Unlock(wereEnabled);
            return bottom;
        }

        [RequiresInterruptsDisabled]
        private static ulong ReserveLocked(ulong size, out ulong top)
        {
            size = (size + PageSize - 1) & ~(PageSize - 1);
            top = 0;
            ulong guard = TakeRange(size + PageSize);
            if (guard == 0)
                return 0;
            ulong bottom = guard + PageSize;
            bool ok = KernelPageTables.SetEntry(guard, KernelPageTables.GuardMarker);
            for (ulong page = bottom; ok && page < bottom + size; page += PageSize)
                ok = KernelPageTables.SetEntry(page, KernelPageTables.LazyMarker);
            ok = ok && MapFreshPage(bottom + size - PageSize, fromPool: false);
            if (!ok)
            {
                ReleaseLocked(bottom, size);
                return 0;
            }
            KnownStacks.Register(bottom, bottom + size);
            top = bottom + size;
            return bottom;
        }

        /// <summary>Frees every page the stack touched and returns its address range for reuse.</summary>
        public static void Release(ulong bottom, ulong size)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            ReleaseLocked(bottom, size);
            s_lock.Unlock(wereEnabled);
        }

        [RequiresInterruptsDisabled]
        private static void ReleaseLocked(ulong bottom, ulong size)
        {
            size = (size + PageSize - 1) & ~(PageSize - 1);
            KnownStacks.Unregister(bottom);
            for (ulong page = bottom - PageSize; page < bottom + size; page += PageSize)
            {
                ulong entry = KernelPageTables.Translate(page);
                if ((entry & PageTableEntry.Present) != 0)
                {
                    s_pages.Free((void*)(entry & PageTableEntry.AddressMask), 1);
                    s_mappedPages--;
                }
                KernelPageTables.SetEntry(page, 0);
                Cpu.InvalidatePage(page);
            }
            GiveBackRange(bottom - PageSize, size + PageSize);
        }

        /// <summary>Maps a page of a lazy stack on first touch; anything else is not ours (false).</summary>
        [PopulatedStack]
        [RequiresInterruptsDisabled] // an exception gate runs with interrupts off
        private static bool HandlePageFault(TrapFrame* frame)
        {
            const ulong Present = 1;
            ulong address = Cpu.ReadCr2();
            if ((frame->ErrorCode & Present) != 0 || address < AreaStart || address >= AreaEnd)
                return false;
            ulong page = address & ~(PageSize - 1);
            s_lock.LockWithInterruptsOff();
            // Looked at under the lock: another CPU running a thread of the same stack can't be, but a release can.
            bool lazy = (KernelPageTables.Translate(page) & KernelPageTables.LazyMarker) != 0;
            bool mapped = lazy && MapFreshPage(page, fromPool: true);
            s_lock.UnlockWithInterruptsOff();
            if (!lazy)
                return false; // the guard page or an unreserved address: the panic reports it
            // Pool empty: a program thread gets it refilled and retries (Linux.ProgramFaults); the panic says so otherwise.
            return mapped;
        }

        [RequiresInterruptsDisabled]
        private static bool MapFreshPage(ulong page, bool fromPool)
        {
            byte* physical = fromPool ? TakeFromPool() : (byte*)s_pages.Allocate(1);
            if (physical == null)
                return false;
            RawMemory.Zero(physical, (nuint)PageSize);
            // The entry's page table exists already: Reserve created it, so a fault never allocates one.
            if (!KernelPageTables.SetEntry(page, (ulong)physical | PageTableEntry.KernelData))
                return false;
            Cpu.InvalidatePage(page);
            s_mappedPages++;
            return true;
        }

        private static byte* TakeFromPool()
        {
            fixed (PagePool* pool = &s_pool)
                return pool->Count == 0 ? null : (byte*)pool->Pages[--pool->Count];
        }

        private static ulong TakeRange(ulong length)
        {
            fixed (FreeRanges* free = &s_free)
            {
                for (int i = 0; i < free->Count; i++)
                {
                    if (free->Sizes[i] != length)
                        continue;
                    ulong reused = free->Bases[i];
                    free->Count--;
                    free->Bases[i] = free->Bases[free->Count];
                    free->Sizes[i] = free->Sizes[free->Count];
                    return reused;
                }
            }
            if (s_next + length > AreaEnd)
                return 0;
            ulong start = s_next;
            s_next += length + PageSize; // a never-mapped page between reservations
            return start;
        }

        private static void GiveBackRange(ulong start, ulong length)
        {
            fixed (FreeRanges* free = &s_free)
            {
                if (free->Count == MaxFreeRanges)
                    return; // address space is plentiful: forget the range rather than track it
                free->Bases[free->Count] = start;
                free->Sizes[free->Count] = length;
                free->Count++;
            }
        }
    }
}
