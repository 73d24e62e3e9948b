namespace Osv.Arch.X64.Acpi
{
    /// <summary>
    /// The processors ACPI's MADT lists (found through <see cref="AcpiTables"/>). Parsing only, with every
    /// length and checksum validated, so a malformed table yields "one CPU", never a fault.
    /// The caller guarantees the tables are readable (the boot identity map covers them).
    /// </summary>
    public unsafe struct ProcessorTable
    {
        public const int MaxProcessors = 64;
        private const int SdtHeaderSize = AcpiTables.SdtHeaderSize;

        private fixed uint _apicIds[MaxProcessors];
        private int _count;
        private uint _localApicAddress;

        public int Count => _count;
        public uint LocalApicAddress => _localApicAddress;

        public uint ApicId(int index) => index >= 0 && index < _count ? _apicIds[index] : 0;

        /// <summary>Reads the enabled processors; false (and no processors) when the tables are missing or malformed.</summary>
        public static bool TryRead(byte* rsdp, out ProcessorTable table)
        {
            table = default;
            byte* madt = AcpiTables.Find(rsdp, "APIC");
            if (madt == null)
                return false;
            if (TryReadMadt(madt, ref table))
                return true;
            table = default; // a malformed table counts for nothing, not for its first entries
            return false;
        }

        private static bool TryReadMadt(byte* madt, ref ProcessorTable table)
        {
            uint length = *(uint*)(madt + 4);
            if (length < SdtHeaderSize + 8 || length > 1 << 20 || !AcpiTables.ChecksumIsZero(madt, length))
                return false;
            table._localApicAddress = *(uint*)(madt + SdtHeaderSize);
            uint offset = SdtHeaderSize + 8;
            while (offset + 2 <= length)
            {
                byte type = madt[offset];
                byte entryLength = madt[offset + 1];
                if (entryLength < 2 || offset + entryLength > length)
                    return false;
                if (type == 0 && entryLength >= 8)
                {
                    uint flags = *(uint*)(madt + offset + 4);
                    if ((flags & 1) != 0)
                        table.Add(madt[offset + 3]);
                }
                else if (type == 9 && entryLength >= 16)
                {
                    uint flags = *(uint*)(madt + offset + 8);
                    if ((flags & 1) != 0)
                        table.Add(*(uint*)(madt + offset + 4));
                }
                offset += entryLength;
            }
            return table._count > 0;
        }

        private void Add(uint apicId)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_apicIds[i] == apicId)
                    return;
            }
            if (_count < MaxProcessors)
                _apicIds[_count++] = apicId;
        }
    }
}
