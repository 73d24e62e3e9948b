namespace Osv.Core.Memory
{
    /// <summary>One mapped range of application address space: [Start, End), page-aligned, with Linux PROT_* bits and MAP_* flags.</summary>
    public struct MemoryArea
    {
        public ulong Start;
        public ulong End;
        public int Protection;
        public int Flags;

        public MemoryArea(ulong start, ulong end, int protection, int flags)
        {
            Start = start;
            End = end;
            Protection = protection;
            Flags = flags;
        }

        public readonly ulong Length => End - Start;
        public readonly bool Contains(ulong address) => address >= Start && address < End;
    }
}
