using System;
using Osv.Annotations;
using Osv.Core.Console;
using Osv.Core.Memory;
using Osv.Drivers.Blk;
using Osv.Drivers.Pci;
using Osv.Vfs.Partitions;

namespace Osv.Kernel.Storage
{
    /// <summary>
    /// Boot step: the disks the drivers find, then the partitions on each (MBR or GPT), all in
    /// <see cref="BlockDeviceRegistry"/> under OSv's names (vblk0, vblk0.1, ...). Partitioning lives
    /// here because drivers and file systems are peers: neither may use the other.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class BlockDevices
    {
        private const int MaxPartitionsPerDisk = 16;

        private static BlockDevice? s_reading;

        /// <summary>Enumerates PCI (ECAM where <paramref name="mcfg"/> has windows), starts the disks and adds their partitions.</summary>
        public static void Discover(McfgTable mcfg, PageSource pages)
        {
            PciConfigSpace.UseEcam(mcfg);
            int disks = VirtioBlkDriver.Discover(pages);
            for (int i = 0; i < disks; i++)
                AddPartitions(BlockDeviceRegistry.At(i)!);
        }

        private static void AddPartitions(BlockDevice disk)
        {
            Partition[] partitions = new Partition[MaxPartitionsPerDisk];
            byte[] scratch = new byte[PartitionTableReader.ScratchSizeForStandardGpt];
            s_reading = disk;
            PartitionTableResult result = PartitionTableReader.Read(new SectorReader(&ReadSectors, null), disk.SectorCount, scratch, partitions);
            s_reading = null;
            if (result.Succeeded)
            {
                for (int i = 0; i < result.Count; i++)
                {
                    Partition partition = partitions[i];
                    var device = new PartitionBlockDevice(PartitionName(disk.Name, partition.Index), disk, partition.StartLba, partition.SectorCount);
                    if (!BlockDeviceRegistry.Add(device))
                        KernelConsole.WriteLine("warning: too many block devices; partitions left out");
                }
            }
            Osv.Runtime.ObjectMemory.Free(partitions);
            Osv.Runtime.ObjectMemory.Free(scratch);
        }

        private static bool ReadSectors(void* context, ulong firstLba, Span<byte> destination)
            => s_reading != null && s_reading.Read(firstLba, destination) == 0;

        /// <summary>vblk0 + partition 1 -> vblk0.1 (the /dev name without "/dev/").</summary>
        private static string PartitionName(string disk, int partition)
        {
            Span<char> text = stackalloc char[64];
            int length = PartitionDeviceName.Format(text, disk, partition);
            return new string(text.Slice(0, length));
        }
    }
}
