using System;

namespace Osv.Drivers.Pci
{
    /// <summary>
    /// Walks the capability list in a snapshot of a function's 256-byte configuration space. The
    /// list is device-controlled: pointers are bounds-checked and the walk stops after 48 entries
    /// (the most that fit), so a looping list cannot hang the kernel.
    /// </summary>
    public static class PciCapabilities
    {
        private const int MaxEntries = (PciConfigLayout.Size - 0x40) / 4;

        /// <summary>
        /// The offset of the next capability with <paramref name="id"/> after the one at
        /// <paramref name="after"/> (0: from the start of the list), or 0 when there is none.
        /// </summary>
        public static int FindNext(ReadOnlySpan<byte> config, byte id, int after)
        {
            if (config.Length < PciConfigLayout.Size)
                return 0;
            ushort status = (ushort)(config[PciConfigLayout.Status] | config[PciConfigLayout.Status + 1] << 8);
            if ((status & PciConfigLayout.StatusCapabilitiesList) == 0)
                return 0;
            int offset = config[PciConfigLayout.CapabilitiesPointer] & 0xFC;
            bool passed = after == 0;
            for (int visited = 0; visited < MaxEntries && offset >= 0x40 && offset + 2 <= PciConfigLayout.Size; visited++)
            {
                if (passed && config[offset] == id)
                    return offset;
                if (offset == after)
                    passed = true;
                offset = config[offset + 1] & 0xFC;
            }
            return 0;
        }

        public static int Find(ReadOnlySpan<byte> config, byte id) => FindNext(config, id, 0);
    }
}
