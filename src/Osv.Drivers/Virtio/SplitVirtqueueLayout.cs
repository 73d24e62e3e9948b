namespace Osv.Drivers.Virtio
{
    /// <summary>
    /// Where the three parts of a split virtqueue sit in one block of memory (virtio 1.1, 2.6):
    /// descriptor table (16 bytes each, 16-aligned), driver ("available") ring (2-aligned) and device
    /// ("used") ring (4-aligned; 4096 for the legacy interface, which passes one page frame number).
    /// </summary>
    public readonly struct SplitVirtqueueLayout
    {
        public const int DescriptorSize = 16;
        public const int LegacyAlignment = 4096;

        public readonly ushort Size;
        public readonly uint AvailableOffset;
        public readonly uint UsedOffset;
        public readonly uint TotalBytes;

        public SplitVirtqueueLayout(ushort size, bool legacy)
        {
            Size = size;
            AvailableOffset = (uint)(DescriptorSize * size);
            uint availableEnd = AvailableOffset + 6 + 2u * size; // flags, idx, ring[size], used_event
            uint alignment = legacy ? LegacyAlignment : 4u;
            UsedOffset = (availableEnd + alignment - 1) & ~(alignment - 1);
            uint usedEnd = UsedOffset + 6 + 8u * size; // flags, idx, ring[size] of {id, len}, avail_event
            TotalBytes = legacy ? (usedEnd + alignment - 1) & ~(alignment - 1) : usedEnd;
        }

        /// <summary>Queue sizes are powers of two up to 32768 (a legacy device's size is fixed; a modern one may be lowered).</summary>
        public static bool IsValidSize(uint size) => size != 0 && size <= 32768 && (size & (size - 1)) == 0;
    }
}
