namespace Osv.Drivers.Pci
{
    /// <summary>
    /// ACPI's MCFG table (PCI Firmware 3.0, 4.1.2): where each segment's memory-mapped (ECAM)
    /// configuration space lives. Parsed from the table bytes with every length and the checksum
    /// validated; only segment 0 matters here (one host bridge).
    /// </summary>
    public unsafe struct McfgTable
    {
        public const int MaxWindows = 4;
        private const int HeaderSize = 36 + 8; // SDT header + reserved
        private const int EntrySize = 16;

        private fixed ulong _bases[MaxWindows];
        private fixed byte _startBus[MaxWindows];
        private fixed byte _endBus[MaxWindows];
        private int _count;

        public int Count => _count;
        public ulong BaseAddress(int index) => index >= 0 && index < _count ? _bases[index] : 0;
        public byte StartBus(int index) => index >= 0 && index < _count ? _startBus[index] : (byte)0;
        public byte EndBus(int index) => index >= 0 && index < _count ? _endBus[index] : (byte)0;

        /// <summary>Reads the segment-0 windows of the table at <paramref name="table"/> (<paramref name="available"/> bytes readable).</summary>
        public static bool TryParse(byte* table, uint available, out McfgTable mcfg)
        {
            mcfg = default;
            if (table == null || available < HeaderSize || table[0] != 'M' || table[1] != 'C' || table[2] != 'F' || table[3] != 'G')
                return false;
            uint length = *(uint*)(table + 4);
            if (length < HeaderSize || length > available || length > 1 << 16)
                return false;
            byte sum = 0;
            for (uint i = 0; i < length; i++)
                sum += table[i];
            if (sum != 0)
                return false;
            for (uint offset = HeaderSize; offset + EntrySize <= length && mcfg._count < MaxWindows; offset += EntrySize)
            {
                ulong baseAddress = *(ulong*)(table + offset);
                ushort segment = *(ushort*)(table + offset + 8);
                byte start = table[offset + 10];
                byte end = table[offset + 11];
                if (segment != 0 || end < start || baseAddress == 0 || (baseAddress & 0xFFFFF) != 0)
                    continue;
                mcfg._bases[mcfg._count] = baseAddress;
                mcfg._startBus[mcfg._count] = start;
                mcfg._endBus[mcfg._count] = end;
                mcfg._count++;
            }
            return mcfg._count > 0;
        }

        /// <summary>The physical address of <paramref name="address"/>'s configuration page, or 0 when no window covers its bus.</summary>
        public ulong ConfigPage(PciAddress address)
        {
            for (int i = 0; i < _count; i++)
            {
                if (address.Bus >= _startBus[i] && address.Bus <= _endBus[i])
                    return _bases[i] + address.EcamOffset(_startBus[i]);
            }
            return 0;
        }
    }
}
