namespace Osv.Drivers.Pci
{
    /// <summary>
    /// A decoded base address register. Sizing writes all ones and reads back which address bits
    /// the device lets through: the size is the lowest one of them.
    /// </summary>
    public readonly struct PciBar
    {
        public readonly ulong Address;
        public readonly ulong Size;
        public readonly bool IsIo;
        public readonly bool Is64Bit;
        public readonly bool IsPrefetchable;

        private PciBar(ulong address, ulong size, bool isIo, bool is64Bit, bool isPrefetchable)
        {
            Address = address;
            Size = size;
            IsIo = isIo;
            Is64Bit = is64Bit;
            IsPrefetchable = isPrefetchable;
        }

        public bool IsPresent => Size != 0;
        public bool IsMemory => IsPresent && !IsIo;

        /// <summary>True when the low dword describes a 64-bit memory BAR (the next register is its high half).</summary>
        public static bool TakesTwoRegisters(uint low) => (low & 1) == 0 && ((low >> 1) & 3) == 2;

        /// <summary>
        /// Decodes a BAR from its value (<paramref name="low"/>, and <paramref name="high"/> for 64-bit ones)
        /// and what reading it back after writing all ones gave (<paramref name="sizingLow"/>, <paramref name="sizingHigh"/>).
        /// </summary>
        public static PciBar Decode(uint low, uint high, uint sizingLow, uint sizingHigh)
        {
            if ((low & 1) != 0)
            {
                // I/O space is 16 bits on x86; the upper half of the mask may read back as zero.
                uint mask = (sizingLow & ~3u) | 0xFFFF0000u;
                uint ioSize = ~mask + 1;
                return new PciBar(low & ~3u & 0xFFFF, mask == 0xFFFF0000u ? 0 : ioSize, true, false, false);
            }
            bool is64 = TakesTwoRegisters(low);
            bool prefetchable = (low & 8) != 0;
            ulong address = (low & ~0xFUL) | (is64 ? (ulong)high << 32 : 0);
            ulong sizing = (sizingLow & ~0xFUL) | (is64 ? (ulong)sizingHigh << 32 : 0xFFFFFFFF00000000UL);
            ulong size = sizing == 0xFFFFFFFF00000000UL || sizing == 0 ? 0 : ~sizing + 1;
            return new PciBar(address, size, false, is64, prefetchable);
        }
    }
}
