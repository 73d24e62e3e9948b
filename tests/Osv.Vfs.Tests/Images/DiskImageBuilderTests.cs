using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Osv.Vfs.Images.Host;
using Osv.Vfs.Partitions;
using Osv.Vfs.Tests.Support;
using Xunit;

namespace Osv.Vfs.Tests.Images;

public sealed class DiskImageBuilderTests : IDisposable
{
    private readonly TempTree _tree = new TempTree();

    public void Dispose() => _tree.Dispose();

    private static byte[] FileSystem(int length)
    {
        byte[] bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void PutsTheFileSystemOnPartitionOneAtOneMiB()
    {
        byte[] fileSystem = FileSystem(3000);
        string image = _tree.PathOf("disk.img");

        DiskImageLayout layout = DiskImageBuilder.Write(image, fileSystem);

        Assert.Equal(new DiskImageLayout(2048, 6, 4096), layout);
        byte[] disk = File.ReadAllBytes(image);
        Assert.Equal(layout.DiskBytes, disk.Length);
        Assert.Equal(fileSystem, disk.AsSpan(1 << 20, fileSystem.Length).ToArray());
        Assert.True(disk.AsSpan((1 << 20) + fileSystem.Length).IndexOfAnyExcept((byte)0) < 0, "padding after the file system is zero");
    }

    [Fact]
    public void TheReaderFindsPartitionOneWithTheFileSystemType()
    {
        string image = _tree.PathOf("disk.img");
        DiskImageBuilder.Write(image, FileSystem(70_000), 0x83);
        byte[] disk = File.ReadAllBytes(image);
        Partition[] partitions = new Partition[4];

        PartitionTableResult result = PartitionTableReader.Read(disk, (ulong)disk.Length / 512, partitions);

        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Mbr, 1), (result.Status, result.Kind, result.Count));
        Assert.Equal((1, 2048ul, 137ul, (byte)0x83), (partitions[0].Index, partitions[0].StartLba, partitions[0].SectorCount, partitions[0].MbrType));
    }

    [Fact]
    public void AFileSystemOfWholeMiBsEndsTheDiskExactly()
    {
        using MemoryStream output = new MemoryStream();
        DiskImageLayout layout = DiskImageBuilder.Write(output, new MemoryStream(FileSystem(1 << 20)));
        Assert.Equal((2048ul, 4096ul), (layout.PartitionSectorCount, layout.DiskSectors));
        Assert.Equal(2 << 20, output.Length);
    }

    [Fact]
    public void ALongerOutputIsTruncatedToTheDisk()
    {
        using MemoryStream output = new MemoryStream(new byte[10 << 20]);
        output.SetLength(10 << 20);
        DiskImageBuilder.Write(output, new MemoryStream(FileSystem(512)));
        Assert.Equal(2 << 20, output.Length);
    }

    [Fact]
    public void AnEmptyFileSystemIsRefused() =>
        Assert.Throws<ArgumentException>(() => DiskImageBuilder.Write(new MemoryStream(), new MemoryStream()));

    [FactRequiringTool("sfdisk")]
    public void SfdiskSeesOneAlignedLinuxPartition()
    {
        string image = _tree.PathOf("disk.img");
        DiskImageBuilder.Write(image, FileSystem(5000));

        JsonElement table = JsonDocument.Parse(ExternalTool.Run("sfdisk", "--json " + image)).RootElement.GetProperty("partitiontable");

        Assert.Equal("dos", table.GetProperty("label").GetString());
        JsonElement partition = Assert.Single(table.GetProperty("partitions").EnumerateArray().ToArray());
        Assert.Equal((2048, 10, "83"), (partition.GetProperty("start").GetInt64(), partition.GetProperty("size").GetInt64(), partition.GetProperty("type").GetString()));
    }

    [FactRequiringTool("fdisk")]
    public void FdiskListsPartitionOneFromSector2048()
    {
        string image = _tree.PathOf("disk.img");
        DiskImageBuilder.Write(image, FileSystem(1 << 20));

        string listing = ExternalTool.Run("fdisk", "-l " + image);

        string line = listing.Split('\n').Single(l => l.StartsWith(image + "1", StringComparison.Ordinal));
        Assert.Equal(new[] { image + "1", "2048", "4095", "2048", "1M", "83", "Linux" }, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
