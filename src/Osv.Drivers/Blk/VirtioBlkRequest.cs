using System;

namespace Osv.Drivers.Blk
{
    /// <summary>
    /// A virtio-blk request on the wire (virtio 1.1, 5.2.6): a 16-byte header the device reads
    /// (type, reserved, sector), the data, and one status byte the device writes.
    /// </summary>
    public static class VirtioBlkRequest
    {
        public const int HeaderSize = 16;
        public const uint TypeIn = 0;    // read from the disk
        public const uint TypeOut = 1;   // write to the disk
        public const uint TypeFlush = 4;

        public const byte StatusOk = 0;
        public const byte StatusIoError = 1;
        public const byte StatusUnsupported = 2;
        /// <summary>Written by the driver before submission: the device never reports it, so it means "not completed".</summary>
        public const byte StatusPending = 0xFF;

        /// <summary>Sectors are always 512 bytes in the protocol, whatever the disk's block size.</summary>
        public const int SectorSize = 512;

        public static void EncodeHeader(Span<byte> header, uint type, ulong sector)
        {
            WriteUInt32(header, 0, type);
            WriteUInt32(header, 4, 0);
            WriteUInt32(header, 8, (uint)sector);
            WriteUInt32(header, 12, (uint)(sector >> 32));
        }

        /// <summary>0, or the negative errno a request's status byte stands for.</summary>
        public static int StatusToErrno(byte status) => status switch
        {
            StatusOk => 0,
            StatusUnsupported => -95, // EOPNOTSUPP
            _ => -5,                  // EIO
        };

        private static void WriteUInt32(Span<byte> bytes, int offset, uint value)
        {
            bytes[offset] = (byte)value;
            bytes[offset + 1] = (byte)(value >> 8);
            bytes[offset + 2] = (byte)(value >> 16);
            bytes[offset + 3] = (byte)(value >> 24);
        }
    }
}
