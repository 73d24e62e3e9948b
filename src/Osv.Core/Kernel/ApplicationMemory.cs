using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Memory;
using Osv.Arch.X64.Smp;
using Osv.Core.Linux;

namespace Osv.Core.Memory
{
    /// <summary>
    /// The application's share of the one address space: a region above the identity map where mmap,
    /// brk and the ELF loader place memory. Mappings are bookkept as <see cref="VirtualMemoryAreas"/>;
    /// pages appear on first touch (a zeroed page from the page-fault handler) unless populated up
    /// front; unmapping and protection changes flush every CPU's TLB before freed pages are reused.
    /// </summary>
    public static unsafe class ApplicationMemory
    {
        public const ulong RegionStart = 0x0000_1000_0000_0000;
        public const ulong RegionEnd = 0x0000_2000_0000_0000;
        private const ulong PageSize = 4096;

        public const int ProtectionRead = 1;
        public const int ProtectionWrite = 2;
        public const int ProtectionExecute = 4;

        public const int MapShared = 0x01;
        public const int MapPrivate = 0x02;
        public const int MapFixed = 0x10;
        public const int MapAnonymous = 0x20;
        public const int MapNoReserve = 0x4000;
        public const int MapPopulate = 0x8000;
        public const int MapFixedNoReplace = 0x100000;

        private const int KeptFlags = MapShared | MapPrivate | MapAnonymous;
        private const int FreeBatch = 64;

        private static VirtualMemoryAreas s_areas;
        private static SpinLock s_lock;
        private static PageSource s_pages;
        /// <summary>Owners a mapping can have: 0 (none: the kernel's tests) and the programs' ids.</summary>
        public const int MaxOwners = 32;
        private const int OwnerShift = 24; // an area's owner sits above the mmap flags it keeps

        /// <summary>Each program's break (several programs can run at once), by owner.</summary>
        private struct Breaks
        {
            public fixed ulong Start[MaxOwners];
            public fixed ulong Current[MaxOwners];
        }

        private static Breaks s_breaks;

        /// <summary>
        /// Address space each program's break may grow into, kept as an inaccessible mapping of its own
        /// (pages appear only as brk moves), so no mmap and no other program lands right after the break.
        /// </summary>
        private const ulong BreakReserve = 1UL << 30;
        private static delegate*<int> s_owner;
        private static long s_residentPages;
        private static Osv.Core.Threads.KernelMutex s_changes = null!; // one change of the mappings at a time

        /// <summary>Pages the application's mappings hold right now.</summary>
        public static long ResidentPages => System.Threading.Volatile.Read(ref s_residentPages);

        public static void Initialize(PageSource pages, delegate*<nuint, void*> allocate, delegate*<void*, void> free)
        {
            s_pages = pages;
            s_areas = new VirtualMemoryAreas(RegionStart, RegionEnd, allocate, free);
            s_changes = new Osv.Core.Threads.KernelMutex();
            TrapDispatcher.RegisterPageFaultHandler(&HandlePageFault);
        }

        /// <summary>Who owns new mappings: the Linux layer names the calling thread's program.</summary>
        public static void UseOwnerSource(delegate*<int> owner) => s_owner = owner;

        private static int CurrentOwner()
        {
            int owner = s_owner != null ? s_owner() : 0;
            return owner > 0 && owner < MaxOwners ? owner : 0;
        }

        private static long MapUnderMutex(ulong address, ulong length, int protection, int flags)
        {
            if (length == 0 || (protection & ~(ProtectionRead | ProtectionWrite | ProtectionExecute)) != 0)
                return -Errno.EINVAL;
            int sharing = flags & (MapShared | MapPrivate);
            if (sharing == 0 || sharing == (MapShared | MapPrivate))
                return -Errno.EINVAL;
            if ((flags & MapAnonymous) == 0)
                return -Errno.ENODEV; // files: once the VFS provides them
            if (length > RegionEnd - RegionStart)
                return -Errno.ENOMEM;
            length = (length + PageSize - 1) & ~(PageSize - 1);
            bool fixedAddress = (flags & (MapFixed | MapFixedNoReplace)) != 0;
            int owner = CurrentOwner();
            if (fixedAddress && ((address & (PageSize - 1)) != 0 || address < RegionStart || address + length > RegionEnd || address + length < address))
                return (address & (PageSize - 1)) != 0 ? -Errno.EINVAL : -Errno.ENOMEM;

            long result;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            if (fixedAddress)
            {
                if ((flags & MapFixedNoReplace) != 0 && AnyMapped(address, address + length))
                {
                    s_lock.Unlock(wereEnabled);
                    return -Errno.EEXIST;
                }
                result = (long)address;
            }
            else
            {
                ulong hint = (address & ~(PageSize - 1));
                ulong found = s_areas.FindFree(length, hint);
                result = found == 0 ? -Errno.ENOMEM : (long)found;
            }
            if (result > 0 && fixedAddress && AnyMapped((ulong)result, (ulong)result + length))
            {
                // The old mapping goes first, pages and all: the new one must start empty. The mapping
                // mutex keeps everyone else from claiming the range meanwhile.
                if (s_areas.Remove((ulong)result, (ulong)result + length, null, null) != 0)
                    result = -Errno.ENOMEM;
                s_lock.Unlock(wereEnabled);
                if (result > 0)
                    ReleasePages((ulong)result, (ulong)result + length);
                wereEnabled = s_lock.Lock();
            }
            if (result > 0)
            {
                int inserted = s_areas.Insert((ulong)result, (ulong)result + length, protection, (flags & KeptFlags) | (owner << OwnerShift));
                if (inserted != 0)
                    result = inserted;
            }
            s_lock.Unlock(wereEnabled);
            if (result > 0 && (flags & MapPopulate) != 0)
                Populate((ulong)result, (ulong)result + length);
            return result;
        }


        // Every change of the mappings holds s_changes: between unmapping a range and freeing its
        // pages (a TLB flush on every CPU), no other mmap may claim the range.

        /// <summary>mmap for anonymous memory: the address, or -errno (EINVAL, ENOMEM, EEXIST, ENODEV for files).</summary>
        [MaySleep]
        public static long Map(ulong address, ulong length, int protection, int flags)
        {
            s_changes.Lock();
            long result = MapUnderMutex(address, length, protection, flags);
            s_changes.Unlock();
            return result;
        }

        /// <summary>munmap: 0, or -EINVAL for an unaligned or out-of-region range.</summary>
        [MaySleep]
        public static long Unmap(ulong address, ulong length)
        {
            s_changes.Lock();
            long result = UnmapUnderMutex(address, length);
            s_changes.Unlock();
            return result;
        }

        /// <summary>mprotect: 0, -EINVAL (unaligned, unknown bits) or -ENOMEM (not all mapped).</summary>
        [MaySleep]
        public static long Protect(ulong address, ulong length, int protection)
        {
            s_changes.Lock();
            long result = ProtectUnderMutex(address, length, protection);
            s_changes.Unlock();
            return result;
        }

        /// <summary>madvise: MADV_DONTNEED makes the range read as zeros again; other advice is accepted and ignored.</summary>
        [MaySleep]
        public static long Advise(ulong address, ulong length, int advice)
        {
            s_changes.Lock();
            long result = AdviseUnderMutex(address, length, advice);
            s_changes.Unlock();
            return result;
        }

        /// <summary>brk: moves the break if it can and returns the break (Linux's contract: the old one on failure).</summary>
        [MaySleep]
        public static long Break(ulong requested)
        {
            s_changes.Lock();
            long result = BreakUnderMutex(requested);
            s_changes.Unlock();
            return result;
        }

        /// <summary>mremap's move: the pages of [from, from+length) go to the same offsets of `to`, already mapped.</summary>
        [MaySleep]
        public static void MovePages(ulong to, ulong from, ulong length)
        {
            s_changes.Lock();
            MovePagesUnderMutex(to, from, length);
            s_changes.Unlock();
        }

        /// <summary>Unmaps every mapping program <paramref name="owner"/> made (or the loader made for it) and forgets its break: the program is gone.</summary>
        [MaySleep]
        public static void UnmapOwnedBy(int owner)
        {
            s_changes.Lock();
            while (true)
            {
                Stack.PrefaultNextPageIfPreemptible();
                bool wereEnabled = s_lock.Lock();
                MemoryArea found = default;
                for (int i = 0; i < s_areas.Count; i++)
                {
                    MemoryArea area = s_areas.At(i);
                    if ((area.Flags >> OwnerShift) == owner)
                    {
                        found = area;
                        break;
                    }
                }
                s_lock.Unlock(wereEnabled);
                if (found.Length == 0)
                    break;
                UnmapUnderMutex(found.Start, found.Length);
            }
            if (owner >= 0 && owner < MaxOwners)
            {
                s_breaks.Start[owner] = 0;
                s_breaks.Current[owner] = 0;
            }
            s_changes.Unlock();
        }

        private static long UnmapUnderMutex(ulong address, ulong length)
        {
            if (length == 0 || (address & (PageSize - 1)) != 0)
                return -Errno.EINVAL;
            length = (length + PageSize - 1) & ~(PageSize - 1);
            if (address < RegionStart || address + length > RegionEnd || address + length < address)
                return -Errno.EINVAL;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            int removed = s_areas.Remove(address, address + length, null, null);
            s_lock.Unlock(wereEnabled);
            if (removed != 0)
                return removed;
            ReleasePages(address, address + length);
            return 0;
        }

        private static long ProtectUnderMutex(ulong address, ulong length, int protection)
        {
            if ((address & (PageSize - 1)) != 0 || (protection & ~(ProtectionRead | ProtectionWrite | ProtectionExecute)) != 0)
                return -Errno.EINVAL;
            if (length == 0)
                return 0;
            length = (length + PageSize - 1) & ~(PageSize - 1);
            if (address < RegionStart || address + length > RegionEnd || address + length < address)
                return -Errno.ENOMEM;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            int changed = s_areas.Protect(address, address + length, protection, &RewriteEntries, null);
            s_lock.Unlock(wereEnabled);
            if (changed == 0)
                InterprocessorInterrupts.FlushTlbEverywhere();
            return changed;
        }

        private static long AdviseUnderMutex(ulong address, ulong length, int advice)
        {
            const int DontNeed = 4;
            if ((address & (PageSize - 1)) != 0)
                return -Errno.EINVAL;
            if (advice != DontNeed || length == 0)
                return 0;
            length = (length + PageSize - 1) & ~(PageSize - 1);
            if (address < RegionStart || address + length > RegionEnd || address + length < address || !Covered(address, address + length))
                return -Errno.ENOMEM;
            ReleasePages(address, address + length);
            return 0;
        }

        /// <summary>
        /// Where the calling thread's program's break starts: the loader asks for right after the
        /// executable, and gets the first place from there with <see cref="BreakReserve"/> free; brk(0)
        /// returns it until it moves.
        /// </summary>
        [MaySleep]
        public static void SetBreakStart(ulong address)
        {
            s_changes.Lock();
            ReserveBreakUnderMutex(CurrentOwner(), address);
            s_changes.Unlock();
        }

        private static void ReserveBreakUnderMutex(int owner, ulong address)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            ulong start = s_areas.FindFree(BreakReserve, (address + PageSize - 1) & ~(PageSize - 1));
            if (start != 0 && s_areas.Insert(start, start + BreakReserve, 0, MapPrivate | MapAnonymous | (owner << OwnerShift)) != 0)
                start = 0;
            s_lock.Unlock(wereEnabled);
            s_breaks.Start[owner] = start;
            s_breaks.Current[owner] = start;
        }

        private static long BreakUnderMutex(ulong requested)
        {
            int owner = CurrentOwner();
            if (s_breaks.Start[owner] == 0)
                ReserveBreakUnderMutex(owner, RegionStart + (RegionEnd - RegionStart) / 2);
            ulong breakStart = s_breaks.Start[owner];
            ulong currentBreak = s_breaks.Current[owner];
            if (breakStart == 0 || requested < breakStart || requested > breakStart + BreakReserve)
                return (long)currentBreak;
            ulong oldEnd = (currentBreak + PageSize - 1) & ~(PageSize - 1);
            ulong newEnd = (requested + PageSize - 1) & ~(PageSize - 1);
            // The reserve turns into memory as the break grows, and back into reserve (pages freed) as it shrinks.
            if (newEnd > oldEnd)
            {
                long mapped = MapUnderMutex(oldEnd, newEnd - oldEnd, ProtectionRead | ProtectionWrite, MapPrivate | MapAnonymous | MapFixed);
                if (mapped < 0)
                    return (long)currentBreak;
            }
            else if (newEnd < oldEnd)
            {
                MapUnderMutex(newEnd, oldEnd - newEnd, 0, MapPrivate | MapAnonymous | MapFixed);
            }
            s_breaks.Current[owner] = requested;
            return (long)requested;
        }

        /// <summary>Whether <paramref name="address"/> lies in the application region (then <see cref="IsAccessible"/> decides, not the page tables).</summary>
        public static bool InRegion(ulong address) => address >= RegionStart && address < RegionEnd;

        /// <summary>Whether [start, end) is mapped with at least the given protection (for EFAULT checks).</summary>
        public static bool IsAccessible(ulong start, ulong end, int protection)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            bool accessible = true;
            for (ulong next = start; accessible && next < end;)
            {
                accessible = s_areas.TryFind(next, out MemoryArea area) && (area.Protection & protection) == protection;
                next = area.End;
            }
            s_lock.Unlock(wereEnabled);
            return accessible;
        }

        /// <summary>The protection of the mapping holding <paramref name="address"/>, or -1 if none does.</summary>
        public static int ProtectionAt(ulong address)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            int protection = s_areas.TryFind(address & ~(PageSize - 1), out MemoryArea area) ? area.Protection : -1;
            s_lock.Unlock(wereEnabled);
            return protection;
        }

        private static void MovePagesUnderMutex(ulong to, ulong from, ulong length)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            int protection = s_areas.TryFind(to, out MemoryArea area) ? area.Protection : 0;
            for (ulong offset = 0; offset < length; offset += PageSize)
            {
                ulong physical = KernelPageTables.Translate(from + offset) & PageTableEntry.AddressMask;
                if (physical == 0)
                    continue;
                KernelPageTables.SetEntry(from + offset, 0);
                KernelPageTables.SetEntry(to + offset, protection == 0 ? physical | KernelPageTables.LazyMarker : physical | EntryFlags(protection));
            }
            s_lock.Unlock(wereEnabled);
            InterprocessorInterrupts.FlushTlbEverywhere();
        }

        [RequiresInterruptsDisabled]
        private static bool AnyMapped(ulong start, ulong end)
        {
            for (int i = 0; i < s_areas.Count; i++)
            {
                MemoryArea area = s_areas.At(i);
                if (area.Start < end && area.End > start)
                    return true;
            }
            return false;
        }

        private static bool Covered(ulong start, ulong end)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            bool covered = s_areas.Covers(start, end);
            s_lock.Unlock(wereEnabled);
            return covered;
        }

        private static ulong EntryFlags(int protection)
        {
            ulong flags = PageTableEntry.Present;
            if ((protection & ProtectionWrite) != 0)
                flags |= PageTableEntry.Writable;
            if ((protection & ProtectionExecute) == 0)
                flags |= PageTableEntry.NoExecute;
            return flags;
        }

        /// <summary>Gives present pages of a re-protected piece their new permissions (PROT_NONE: not present, page kept in the entry's address bits).</summary>
        private static void RewriteEntries(MemoryArea area, void* context)
        {
            for (ulong page = area.Start; page < area.End; page += PageSize)
            {
                ulong entry = KernelPageTables.Translate(page);
                ulong physical = entry & PageTableEntry.AddressMask;
                if (physical == 0)
                    continue;
                KernelPageTables.SetEntry(page, area.Protection == 0 ? physical | KernelPageTables.LazyMarker : physical | EntryFlags(area.Protection));
            }
        }

        /// <summary>
        /// Clears the entries of [start, end) and frees their pages, in batches, each after a TLB flush
        /// on every CPU. Entries are read and cleared under the lock the fault handler takes, so a page
        /// a concurrent fault maps is either collected here or left in place, never freed while mapped.
        /// </summary>
        private static void ReleasePages(ulong start, ulong end)
        {
            ulong* batch = stackalloc ulong[FreeBatch];
            ulong page = start;
            while (page < end)
            {
                int count = 0;
                Stack.PrefaultNextPageIfPreemptible();
                bool wereEnabled = s_lock.Lock();
                for (; page < end && count < FreeBatch; page += PageSize)
                {
                    ulong physical = KernelPageTables.Translate(page) & PageTableEntry.AddressMask;
                    if (physical == 0)
                        continue;
                    KernelPageTables.SetEntry(page, 0);
                    batch[count++] = physical;
                }
                s_lock.Unlock(wereEnabled);
                if (count > 0)
                    FreeBatchAfterFlush(batch, count);
            }
        }

        private static void FreeBatchAfterFlush(ulong* pages, int count)
        {
            InterprocessorInterrupts.FlushTlbEverywhere();
            for (int i = 0; i < count; i++)
                s_pages.Free((void*)pages[i], 1);
            System.Threading.Interlocked.Add(ref s_residentPages, -count);
        }

        private static void Populate(ulong start, ulong end)
        {
            for (ulong page = start; page < end; page += PageSize)
            {
                Stack.PrefaultNextPageIfPreemptible();
                bool wereEnabled = s_lock.Lock();
                bool found = s_areas.TryFind(page, out MemoryArea area);
                if (found && area.Protection != 0)
                    MapZeroPage(page, area.Protection);
                s_lock.Unlock(wereEnabled);
            }
        }

        /// <summary>Maps a zeroed page at <paramref name="page"/> unless one is there (two threads may fault on it together).</summary>
        [RequiresInterruptsDisabled]
        private static bool MapZeroPage(ulong page, int protection)
        {
            if ((KernelPageTables.Translate(page) & PageTableEntry.Present) != 0)
                return true;
            byte* physical = (byte*)s_pages.Allocate(1);
            if (physical == null)
                return false;
            RawMemory.Zero(physical, (nuint)PageSize);
            if (!KernelPageTables.SetEntry(page, (ulong)physical | EntryFlags(protection)))
            {
                s_pages.Free(physical, 1);
                return false;
            }
            System.Threading.Interlocked.Increment(ref s_residentPages);
            return true;
        }

        /// <summary>First touch of a mapped, allowed page: a zeroed page. Anything else (no mapping, wrong access) is the panic's.</summary>
        [PopulatedStack]
        [RequiresInterruptsDisabled] // an exception gate runs with interrupts off
        private static bool HandlePageFault(TrapFrame* frame)
        {
            const ulong Present = 1;
            const ulong WriteAccess = 2;
            const ulong InstructionFetch = 16;
            ulong address = Cpu.ReadCr2();
            if (!InRegion(address) || (frame->ErrorCode & Present) != 0)
                return false; // a protection violation on a present page is the application's bug
            ulong page = address & ~(PageSize - 1);
            s_lock.LockWithInterruptsOff();
            bool allowed = s_areas.TryFind(page, out MemoryArea area)
                && (area.Protection & ProtectionRead) != 0
                && ((frame->ErrorCode & WriteAccess) == 0 || (area.Protection & ProtectionWrite) != 0)
                && ((frame->ErrorCode & InstructionFetch) == 0 || (area.Protection & ProtectionExecute) != 0);
            bool mapped = allowed && MapZeroPage(page, area.Protection);
            s_lock.UnlockWithInterruptsOff();
            return mapped;
        }
    }
}
