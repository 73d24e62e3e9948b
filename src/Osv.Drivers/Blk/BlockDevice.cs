using System;

namespace Osv.Drivers.Blk
{
    /// <summary>
    /// A disk (or a window of one) addressed in 512-byte sectors. Reads and writes move whole sectors
    /// between the device and a caller buffer and block until done; several threads may have
    /// requests in flight at once. Results are 0 or a negative errno.
    /// </summary>
    public abstract class BlockDevice
    {
        public const int SectorSize = 512;
        public const int ErrorInvalid = -22; // EINVAL
        public const int ErrorIo = -5;       // EIO
        public const int ErrorReadOnly = -30; // EROFS

        protected BlockDevice(string name, ulong sectorCount)
        {
            Name = name;
            SectorCount = sectorCount;
        }

        /// <summary>The device's name in /dev: vblk0, vblk0.1, ...</summary>
        public string Name { get; }
        public ulong SectorCount { get; }
        public virtual bool IsReadOnly => false;

        /// <summary>Reads <c>destination.Length / 512</c> sectors from <paramref name="sector"/> on.</summary>
        public int Read(ulong sector, Span<byte> destination)
        {
            int check = Validate(sector, destination.Length);
            return check != 0 ? check : ReadSectors(sector, destination);
        }

        public int Write(ulong sector, ReadOnlySpan<byte> source)
        {
            int check = Validate(sector, source.Length);
            if (check != 0)
                return check;
            return IsReadOnly ? ErrorReadOnly : WriteSectors(sector, source);
        }

        /// <summary>Whole sectors inside the device (so the subclasses never see anything else).</summary>
        private int Validate(ulong sector, int length)
        {
            if (length <= 0 || length % SectorSize != 0)
                return ErrorInvalid;
            ulong count = (ulong)(length / SectorSize);
            return sector < SectorCount && count <= SectorCount - sector ? 0 : ErrorInvalid;
        }

        protected abstract int ReadSectors(ulong sector, Span<byte> destination);
        protected abstract int WriteSectors(ulong sector, ReadOnlySpan<byte> source);
    }
}
