using Osv.Arch.X64.Memory;

namespace Osv.Arch.X64.Memory
{
    /// <summary>
    /// Builds and loads the kernel's own page tables (replacing the boot code's throw-away identity map):
    /// identity-mapped RAM, W^X for the kernel image (text RX, read-only data R+NX, data RW+NX),
    /// unmapped guard pages under every stack and at address 0, device memory uncached.
    /// </summary>
    public static unsafe class KernelPageTables
    {
        private const ulong PageSize = 4096;
        private const ulong LargePageSize = 2UL << 20;
        private const ulong TableFlags = PageTableEntry.Present | PageTableEntry.Writable;

        private static delegate*<ulong> s_allocateTablePage;
        private static ulong* s_root;
        private static ulong s_tablePages;
        private static long s_generation;
        private static Smp.SpinLock s_lock; // live tables: any CPU may change a leaf entry at run time

        public static ulong Root => (ulong)s_root;
        public static ulong TablePages => s_tablePages;

        /// <summary>
        /// Counts changes to leaf entries. The scheduler flushes a CPU's TLB at a context switch when
        /// the count moved since that CPU last flushed: a new stack's guard page, or a reused lazy-stack
        /// range, is only ever touched by a thread switched in after the change.
        /// </summary>
        public static long Generation => System.Threading.Volatile.Read(ref s_generation);

        /// <summary><paramref name="allocateTablePage"/> returns a physical page address, or 0 when memory runs out.</summary>
        public static bool Begin(delegate*<ulong> allocateTablePage)
        {
            s_allocateTablePage = allocateTablePage;
            s_tablePages = 0;
            s_root = NewTable();
            return s_root != null;
        }

        private static ulong* NewTable()
        {
            ulong page = s_allocateTablePage();
            if (page == 0)
                return null;
            s_tablePages++;
            ulong* table = (ulong*)page;
            for (int i = 0; i < 512; i++)
                table[i] = 0;
            return table;
        }

        /// <summary>The table one level down for <paramref name="address"/>, created on demand.</summary>
        private static ulong* Descend(ulong* table, ulong address, int shift)
        {
            ulong index = (address >> shift) & 511;
            ulong entry = table[index];
            if ((entry & PageTableEntry.Present) == 0)
            {
                ulong* next = NewTable();
                if (next == null)
                    return null;
                table[index] = (ulong)next | TableFlags;
                return next;
            }
            if ((entry & PageTableEntry.LargePage) != 0)
                return shift == 21 ? SplitLargePage(table, index, entry) : null;
            return (ulong*)(entry & PageTableEntry.AddressMask);
        }

        /// <summary>
        /// Replaces a 2 MiB mapping by 512 4 KiB mappings with the same permissions, so one page of it
        /// can change (a guard page in a stack allocated after the tables went live).
        /// </summary>
        private static ulong* SplitLargePage(ulong* directory, ulong index, ulong largeEntry)
        {
            ulong* table = NewTable();
            if (table == null)
                return null;
            ulong baseAddress = largeEntry & PageTableEntry.AddressMask & ~(LargePageSize - 1);
            // Bit 7 is "large page" in a directory entry but PAT in a table entry; bit 12 is PAT in the former.
            ulong flags = largeEntry & ~PageTableEntry.AddressMask & ~PageTableEntry.LargePage;
            for (ulong i = 0; i < 512; i++)
                table[i] = (baseAddress + i * PageSize) | flags;
            directory[index] = (ulong)table | TableFlags;
            return table;
        }

        /// <summary>Makes changes to live tables visible (a full TLB flush; the kernel changes them rarely).</summary>
        public static void FlushAll() => Cpu.WriteCr3((ulong)s_root);

        /// <summary>Identity-maps one page.</summary>
        public static bool Map4K(ulong address, ulong flags) => SetEntry(address, (address & PageTableEntry.AddressMask) | flags);

        /// <summary>Writes the leaf entry for the page at <paramref name="virtualAddress"/> (tables created on demand).</summary>
        public static bool SetEntry(ulong virtualAddress, ulong entry)
        {
            Osv.Annotations.Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            bool written = SetEntryLocked(virtualAddress, entry);
            if (written)
                System.Threading.Interlocked.Increment(ref s_generation);
            s_lock.Unlock(wereEnabled);
            return written;
        }

        [Osv.Annotations.RequiresInterruptsDisabled]
        private static bool SetEntryLocked(ulong virtualAddress, ulong entry)
        {
            ulong* pdpt = Descend(s_root, virtualAddress, 39);
            ulong* pd = pdpt == null ? null : Descend(pdpt, virtualAddress, 30);
            ulong* pt = pd == null ? null : Descend(pd, virtualAddress, 21);
            if (pt == null)
                return false;
            pt[(virtualAddress >> 12) & 511] = entry;
            return true;
        }

        private static bool Map2M(ulong address, ulong flags)
        {
            ulong* pdpt = Descend(s_root, address, 39);
            ulong* pd = pdpt == null ? null : Descend(pdpt, address, 30);
            if (pd == null)
                return false;
            ulong index = (address >> 21) & 511;
            if ((pd[index] & PageTableEntry.Present) != 0)
                return true; // already mapped finer-grained by an earlier, more specific call
            pd[index] = (address & PageTableEntry.AddressMask) | flags | PageTableEntry.LargePage;
            return true;
        }

        /// <summary>Identity-maps [start, end), with 2 MiB pages where a whole aligned one fits (boot only: one CPU runs).</summary>
        public static bool MapRange(ulong start, ulong end, ulong flags)
        {
            ulong address = start & ~(PageSize - 1);
            while (address < end)
            {
                bool large = (address & (LargePageSize - 1)) == 0 && address + LargePageSize <= end && !HasSmallPagesAt(address);
                if (large)
                {
                    if (!Map2M(address, flags))
                        return false;
                    address += LargePageSize;
                }
                else
                {
                    if (!IsClaimed(address) && !Map4K(address, flags))
                        return false;
                    address += PageSize;
                }
            }
            return true;
        }

        private static bool HasSmallPagesAt(ulong address)
        {
            ulong* pd = Lookup(address, 21);
            if (pd == null)
                return false;
            ulong entry = pd[(address >> 21) & 511];
            return (entry & PageTableEntry.Present) != 0 && (entry & PageTableEntry.LargePage) == 0;
        }

        /// <summary>The table whose entries are indexed by address bits from <paramref name="downToShift"/> (21: the page directory).</summary>
        private static ulong* Lookup(ulong address, int downToShift)
        {
            ulong* table = s_root;
            for (int shift = 39; shift > downToShift; shift -= 9)
            {
                ulong entry = table[(address >> shift) & 511];
                if ((entry & PageTableEntry.Present) == 0 || (entry & PageTableEntry.LargePage) != 0)
                    return null;
                table = (ulong*)(entry & PageTableEntry.AddressMask);
            }
            return table;
        }

        /// <summary>The leaf entry mapping <paramref name="address"/>, or 0.</summary>
        public static ulong Translate(ulong address)
        {
            ulong* pd = Lookup(address, 21);
            if (pd == null)
                return 0;
            ulong pde = pd[(address >> 21) & 511];
            if ((pde & PageTableEntry.Present) == 0)
                return 0;
            if ((pde & PageTableEntry.LargePage) != 0)
                return pde;
            ulong* pt = (ulong*)(pde & PageTableEntry.AddressMask);
            return pt[(address >> 12) & 511];
        }

        /// <summary>Mapped, or deliberately left unmapped (a guard page).</summary>
        private static bool IsClaimed(ulong address) => Translate(address) != 0;

        /// <summary>
        /// Leaves a page unmapped (guard pages). The entry keeps a software bit so later range mappings
        /// skip it. Must run before a large mapping would cover the page.
        /// </summary>
        public static bool Reserve4K(ulong address) => Map4K(address, GuardMarker);

        public const ulong GuardMarker = 1UL << 9; // an "available to software" bit; Present stays clear

        /// <summary>Not present yet, mapped on first touch by the page-fault handler (another software bit).</summary>
        public const ulong LazyMarker = 1UL << 10;

        public static void Activate() => Cpu.WriteCr3((ulong)s_root);
    }
}
