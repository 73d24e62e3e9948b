using System;
using System.IO;
using Osv.Vfs.Formats;
using Osv.Vfs.Partitions;
using Osv.Vfs.Partitions.Host;

namespace Osv.Vfs.Images.Host;

/// <summary>
/// Composes a bootable disk's data image: an MBR whose partition 1 holds a file-system image
/// (rofs, ZFS, ...) from a 1 MiB boundary, as OSv puts its root file system on partition 1
/// (/dev/vblk0.1). The disk ends where the partition does, rounded up to a whole MiB.
/// </summary>
public static class DiskImageBuilder
{
    /// <summary>Partition start and disk size alignment: what fdisk and parted choose, and friendly to any block size.</summary>
    public const int AlignmentBytes = 1 << 20;

    private const ulong AlignmentSectors = AlignmentBytes / BlockSizes.Sector;

    /// <summary>Writes the disk image to <paramref name="outputPath"/> (replacing it) with the bytes of <paramref name="fileSystem"/> from its current position.</summary>
    public static DiskImageLayout Write(string outputPath, Stream fileSystem, byte partitionType = MbrLayout.LinuxType)
    {
        using FileStream output = new FileStream(outputPath, FileMode.Create, FileAccess.ReadWrite);
        return Write(output, fileSystem, partitionType);
    }

    public static DiskImageLayout Write(string outputPath, byte[] fileSystem, byte partitionType = MbrLayout.LinuxType)
    {
        using MemoryStream source = new MemoryStream(fileSystem, writable: false);
        return Write(outputPath, source, partitionType);
    }

    /// <summary>Writes the disk image from position 0 of <paramref name="output"/>, which it truncates or extends to the disk size.</summary>
    /// <exception cref="ArgumentException">The file system is empty or too large for an MBR partition.</exception>
    public static DiskImageLayout Write(Stream output, Stream fileSystem, byte partitionType = MbrLayout.LinuxType)
    {
        output.SetLength(0);
        output.Position = (long)AlignmentSectors * BlockSizes.Sector;
        fileSystem.CopyTo(output);
        long fileSystemBytes = output.Position - AlignmentBytes;
        if (fileSystemBytes == 0)
            throw new ArgumentException("the file-system image is empty", nameof(fileSystem));

        ulong partitionSectors = ((ulong)fileSystemBytes + BlockSizes.Sector - 1) / BlockSizes.Sector;
        ulong diskSectors = RoundUp(AlignmentSectors + partitionSectors, AlignmentSectors);
        output.SetLength((long)diskSectors * BlockSizes.Sector);

        MbrPartitionSpec partition = new MbrPartitionSpec(AlignmentSectors, partitionSectors, partitionType);
        MbrWriter.Write(output, diskSectors, new[] { partition });
        output.Flush();
        return new DiskImageLayout(AlignmentSectors, partitionSectors, diskSectors);
    }

    private static ulong RoundUp(ulong value, ulong multiple) => (value + multiple - 1) / multiple * multiple;
}
