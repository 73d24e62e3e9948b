using Osv.Arch.X64.Memory;

namespace Osv.Core.Linux
{
    /// <summary>
    /// Checks an application's pointer before the kernel uses it: one address space, so "valid" means
    /// mapped (or a lazy stack page a touch will map), canonical, not in page 0 — else the call gets
    /// -EFAULT instead of a kernel page fault.
    /// </summary>
    public static unsafe class UserMemory
    {
        private const ulong PageSize = 4096;
        private const ulong CanonicalLimit = 0x0000_8000_0000_0000;

        public static bool IsReadable(void* address, ulong length) => Check((ulong)address, length, write: false);

        public static bool IsWritable(void* address, ulong length) => Check((ulong)address, length, write: true);

        private static bool Check(ulong start, ulong length, bool write)
        {
            if (start < PageSize || start >= CanonicalLimit || length > CanonicalLimit - start)
                return false;
            if (length == 0)
                return true;
            ulong end = start + length;
            if (Memory.ApplicationMemory.InRegion(start))
                return Memory.ApplicationMemory.IsAccessible(start & ~(PageSize - 1), end, write ? 3 : 1);
            for (ulong page = start & ~(PageSize - 1); page < end; page += PageSize)
            {
                ulong entry = KernelPageTables.Translate(page);
                if ((entry & KernelPageTables.LazyMarker) != 0)
                    continue; // an unpopulated stack page: the first touch maps it, writable
                if ((entry & PageTableEntry.Present) == 0)
                    return false;
                if (write && (entry & PageTableEntry.Writable) == 0)
                    return false;
            }
            return true;
        }
    }
}
