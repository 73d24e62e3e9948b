using System;
using Osv.Drivers.Blk;

namespace Osv.Kernel.Storage
{
    /// <summary>A partition: a window of <see cref="Disk"/> starting at <see cref="StartSector"/>.</summary>
    internal sealed class PartitionBlockDevice : BlockDevice
    {
        public PartitionBlockDevice(string name, BlockDevice disk, ulong startSector, ulong sectorCount)
            : base(name, sectorCount)
        {
            Disk = disk;
            StartSector = startSector;
        }

        public BlockDevice Disk { get; }
        public ulong StartSector { get; }
        public override bool IsReadOnly => Disk.IsReadOnly;

        // The base class has checked the range against this window, which lies inside the disk.
        protected override int ReadSectors(ulong sector, Span<byte> destination) => Disk.Read(StartSector + sector, destination);
        protected override int WriteSectors(ulong sector, ReadOnlySpan<byte> source) => Disk.Write(StartSector + sector, source);
    }
}
