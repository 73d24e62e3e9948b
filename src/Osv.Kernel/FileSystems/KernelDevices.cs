using System;
using System.Threading;
using Osv.Arch.X64;
using Osv.Core.Console;
using Osv.Drivers.Blk;
using Osv.Vfs.Devfs;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.FileSystems
{
    /// <summary>
    /// A driver's <see cref="BlockDevice"/> (whole 512-byte sectors) as the byte-addressed device the rofs
    /// reader and /dev/vblkN take: unaligned reads go through a sector-aligned bounce buffer.
    /// </summary>
    internal sealed unsafe class KernelBlockDevice : Osv.Vfs.Rofs.IBlockDevice
    {
        private const int BounceBytes = 32 * 1024;
        private readonly BlockDevice _device;

        public KernelBlockDevice(BlockDevice device) => _device = device;

        public BlockDevice Device => _device;

        public ulong Size => _device.SectorCount * BlockDevice.SectorSize;

        public int Read(ulong offset, Span<byte> destination)
        {
            ulong length = (ulong)destination.Length;
            if (length == 0)
                return 0;
            if (offset > Size || length > Size - offset)
                return -Errno.EIO;
            if (offset % BlockDevice.SectorSize == 0 && length % BlockDevice.SectorSize == 0)
                return _device.Read(offset / BlockDevice.SectorSize, destination);
            byte* bounce = (byte*)KernelMemory.AllocateZeroed(BounceBytes);
            if (bounce == null)
                return -Errno.ENOMEM;
            int status = 0;
            int done = 0;
            while (done < destination.Length && status == 0)
            {
                ulong position = offset + (ulong)done;
                ulong sector = position / BlockDevice.SectorSize;
                int skip = (int)(position % BlockDevice.SectorSize);
                int want = Math.Min(destination.Length - done, BounceBytes - skip);
                int span = (skip + want + BlockDevice.SectorSize - 1) / BlockDevice.SectorSize * BlockDevice.SectorSize;
                status = _device.Read(sector, new Span<byte>(bounce, span));
                if (status == 0)
                    new ReadOnlySpan<byte>(bounce + skip, want).CopyTo(destination.Slice(done));
                done += want;
            }
            KernelMemory.Free(bounce);
            return status;
        }
    }

    /// <summary>/dev/console over the serial line. There is no input driver yet: reads see end of input.</summary>
    internal sealed class SerialConsole : IConsoleDevice
    {
        public long Read(Span<byte> destination, bool nonBlocking) => nonBlocking ? -Errno.EAGAIN : 0;

        public long Write(ReadOnlySpan<byte> source)
        {
            KernelConsole.Write(source);
            return source.Length;
        }

        public bool HasInput => false;
        public ushort Rows => 24;
        public ushort Columns => 80;
    }

    /// <summary>
    /// /dev/random and /dev/urandom: SplitMix64 over a TSC-seeded counter. Not cryptographic (no RDRAND
    /// or virtio-rng driver yet); every call advances one shared counter, so concurrent readers differ.
    /// </summary>
    internal static class KernelRandom
    {
        private static long s_state;

        public static void Seed() => s_state = unchecked((long)(Cpu.ReadTimestampCounter() * 0x9E3779B97F4A7C15UL));

        public static void Fill(Span<byte> destination)
        {
            for (int i = 0; i < destination.Length; i += 8)
            {
                ulong z = unchecked((ulong)Interlocked.Add(ref s_state, unchecked((long)0x9E3779B97F4A7C15UL)));
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                for (int b = 0; b < 8 && i + b < destination.Length; b++)
                    destination[i + b] = (byte)(z >> (8 * b));
            }
        }
    }
}
