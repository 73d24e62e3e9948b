namespace Osv.Vfs.Images.Host;

/// <summary>Where <see cref="DiskImageBuilder"/> put the file system, in 512-byte sectors.</summary>
public sealed record DiskImageLayout(ulong PartitionStartLba, ulong PartitionSectorCount, ulong DiskSectors)
{
    public long PartitionOffsetBytes => (long)PartitionStartLba * Formats.BlockSizes.Sector;

    public long DiskBytes => (long)DiskSectors * Formats.BlockSizes.Sector;
}
