using System;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Console;
using Osv.Drivers.Blk;
using Osv.Kernel.Storage;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=blk` (disks attached with `osv run --disk FILE`): lists the disks and partitions, reads
    /// every sector of each disk from several threads at once and prints an FNV-1a 64 checksum of its
    /// bytes (the integration tests compare it with the host's), then writes a pattern to a scratch
    /// region through the disk and through a partition, reads it back and restores the old contents.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class BlockDeviceTests
    {
        private const int ReaderThreads = 8;
        // Odd-sized (41-sector) reads, so requests start mid-page and some cross the driver's split size.
        private const int ReadSectors = 41;
        private const int WindowBytes = 8 << 20;
        private const int ScratchSectors = 136; // 68 KiB: three requests in the driver

        public static int DiskCount()
        {
            int disks = 0;
            for (int i = 0; i < BlockDeviceRegistry.Count; i++)
            {
                if (BlockDeviceRegistry.At(i) is VirtioBlockDevice)
                    disks++;
            }
            return disks;
        }

        public static void Run(ref CheckReport report)
        {
            PrintDevices();
            report.Check("a disk is attached (osv run --disk FILE)", DiskCount() > 0);
            for (int i = 0; i < BlockDeviceRegistry.Count; i++)
            {
                if (BlockDeviceRegistry.At(i) is VirtioBlockDevice disk)
                {
                    report.Check("whole disk read by eight threads at once", ChecksumWholeDisk(disk));
                    report.Check("write, read back and restore a scratch region", WriteAndReadBack(disk, disk.SectorCount - ScratchSectors));
                    report.Check("requests outside the disk are refused", RefusesOutOfRange(disk));
                }
                else if (BlockDeviceRegistry.At(i) is PartitionBlockDevice partition)
                {
                    report.Check("a partition is its disk's sectors from its start", PartitionMapsOntoDisk(partition));
                }
            }
        }

        private static void PrintDevices()
        {
            KernelConsole.WriteLine(Osv.Drivers.Pci.PciConfigSpace.UsesEcam ? "pci: configuration space through ECAM (ACPI MCFG)" : "pci: configuration space through ports 0xCF8/0xCFC");
            for (int i = 0; i < BlockDeviceRegistry.Count; i++)
            {
                BlockDevice device = BlockDeviceRegistry.At(i)!;
                KernelConsole.Write(device.Name);
                KernelConsole.Write(": ");
                if (device is PartitionBlockDevice partition)
                {
                    KernelConsole.Write("start ");
                    KernelConsole.WriteDecimal(partition.StartSector);
                    KernelConsole.Write(", ");
                }
                KernelConsole.WriteDecimal(device.SectorCount);
                KernelConsole.Write(" sectors");
                if (device is VirtioBlockDevice disk)
                {
                    KernelConsole.Write(disk.IsLegacy ? ", legacy virtio-pci" : ", modern virtio-pci");
                    KernelConsole.Write(", queue ");
                    KernelConsole.WriteDecimal(disk.QueueSize);
                    KernelConsole.Write(", up to ");
                    KernelConsole.WriteDecimal((ulong)disk.SlotCount);
                    KernelConsole.Write(" requests in flight");
                }
                KernelConsole.WriteLine();
            }
        }

        // ---- whole-disk checksum ----

        private static VirtioBlockDevice s_disk = null!;
        private static byte* s_window;
        private static ulong s_windowStart;
        private static ulong s_windowSectors;
        private static int s_errors;

        /// <summary>Reader <c>argument</c> takes every eighth 41-sector piece of the current window.</summary>
        private static void Reader(void* argument)
        {
            ulong piece = (ulong)(nint)argument;
            for (ulong first = piece * ReadSectors; first < s_windowSectors; first += ReaderThreads * ReadSectors)
            {
                ulong count = s_windowSectors - first < ReadSectors ? s_windowSectors - first : ReadSectors;
                if (s_disk.Read(s_windowStart + first, new Span<byte>(s_window + first * BlockDevice.SectorSize, (int)count * BlockDevice.SectorSize)) != 0)
                    Interlocked.Increment(ref s_errors);
            }
        }

        private static bool ChecksumWholeDisk(VirtioBlockDevice disk)
        {
            byte[] window = new byte[WindowBytes];
            ulong hash = 0xCBF29CE484222325UL; // FNV-1a 64 offset basis
            bool created = true;
            s_disk = disk;
            s_errors = 0;
            disk.ResetPeakInFlight();
            long interruptsBefore = disk.Interrupts;
            fixed (byte* buffer = window)
            {
                s_window = buffer;
                for (ulong start = 0; start < disk.SectorCount; start += WindowBytes / BlockDevice.SectorSize)
                {
                    s_windowStart = start;
                    s_windowSectors = disk.SectorCount - start < WindowBytes / BlockDevice.SectorSize ? disk.SectorCount - start : WindowBytes / BlockDevice.SectorSize;
                    created &= ThreadGroup.RunAndJoin(&Reader, ReaderThreads);
                    ulong bytes = s_windowSectors * BlockDevice.SectorSize;
                    for (ulong i = 0; i < bytes; i++)
                        hash = (hash ^ buffer[i]) * 0x100000001B3UL;
                }
            }
            Osv.Runtime.ObjectMemory.Free(window);
            KernelConsole.Write(disk.Name);
            KernelConsole.Write(": fnv1a64 ");
            KernelConsole.WriteHex64(hash);
            KernelConsole.Write(", peak ");
            KernelConsole.WriteDecimal((ulong)disk.PeakInFlight);
            KernelConsole.Write(" requests in flight, ");
            KernelConsole.WriteDecimal((ulong)(disk.Interrupts - interruptsBefore));
            KernelConsole.WriteLine(" interrupts");
            return created && Expect.Equal("read errors", 0, s_errors) && Expect.True("interrupts arrived", disk.Interrupts > interruptsBefore);
        }

        // ---- writes ----

        private static bool WriteAndReadBack(BlockDevice device, ulong sector)
        {
            int length = ScratchSectors * BlockDevice.SectorSize;
            byte[] original = new byte[length];
            byte[] pattern = new byte[length];
            byte[] back = new byte[length];
            for (int i = 0; i < length; i++)
                pattern[i] = (byte)(i * 7 + (i >> 9));
            bool ok = Expect.Equal("read the old contents", 0, device.Read(sector, original))
                && Expect.Equal("write the pattern", 0, device.Write(sector, pattern))
                && Expect.Equal("read it back", 0, device.Read(sector, back))
                && Expect.True("what was read is what was written", SameBytes(back, pattern))
                && Expect.Equal("restore the old contents", 0, device.Write(sector, original));
            Osv.Runtime.ObjectMemory.Free(original);
            Osv.Runtime.ObjectMemory.Free(pattern);
            Osv.Runtime.ObjectMemory.Free(back);
            return ok;
        }

        private static bool RefusesOutOfRange(BlockDevice disk)
        {
            byte[] sector = new byte[BlockDevice.SectorSize];
            bool ok = Expect.Equal("read past the end", BlockDevice.ErrorInvalid, disk.Read(disk.SectorCount, sector))
                && Expect.Equal("half a sector", BlockDevice.ErrorInvalid, disk.Read(0, new Span<byte>(sector, 0, 256)));
            Osv.Runtime.ObjectMemory.Free(sector);
            return ok;
        }

        /// <summary>A write through the partition lands at its start sector on the disk.</summary>
        private static bool PartitionMapsOntoDisk(PartitionBlockDevice partition)
        {
            byte[] viaDisk = new byte[BlockDevice.SectorSize];
            byte[] viaPartition = new byte[BlockDevice.SectorSize];
            bool ok = Expect.Equal("read through the partition", 0, partition.Read(0, viaPartition))
                && Expect.Equal("read through the disk", 0, partition.Disk.Read(partition.StartSector, viaDisk))
                && Expect.True("same bytes", SameBytes(viaDisk, viaPartition))
                && WriteAndReadBack(partition, 0);
            Osv.Runtime.ObjectMemory.Free(viaDisk);
            Osv.Runtime.ObjectMemory.Free(viaPartition);
            return ok;
        }
    
        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
                return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                    return false;
            }
            return true;
        }
    }
}
