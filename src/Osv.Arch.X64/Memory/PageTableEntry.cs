namespace Osv.Arch.X64.Memory
{
    /// <summary>x86-64 page-table entry bits and the permission classes the kernel maps with.</summary>
    public static class PageTableEntry
    {
        public const ulong Present = 1UL << 0;
        public const ulong Writable = 1UL << 1;
        public const ulong WriteThrough = 1UL << 3;
        public const ulong CacheDisable = 1UL << 4;
        public const ulong LargePage = 1UL << 7;
        public const ulong Global = 1UL << 8;
        public const ulong NoExecute = 1UL << 63;
        public const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;

        /// <summary>W^X: a mapping is writable or executable, never both.</summary>
        public const ulong KernelText = Present | Global;
        public const ulong KernelReadOnly = Present | Global | NoExecute;
        public const ulong KernelData = Present | Writable | Global | NoExecute;
        public const ulong DeviceMemory = Present | Writable | CacheDisable | WriteThrough | NoExecute;

        public static bool IsWritableAndExecutable(ulong entry)
            => (entry & Present) != 0 && (entry & Writable) != 0 && (entry & NoExecute) == 0;
    }
}
