using System;
using System.IO;
using Osv.Vfs.Partitions.Host;
using Xunit;
using static Osv.Vfs.Tests.Partitions.TestDisks;

namespace Osv.Vfs.Tests.Partitions;

/// <summary>The host writers refuse tables the reader would reject, naming the partition.</summary>
public class PartitionWriterValidationTests
{
    [Fact]
    public void MbrRefusesAFifthPartition()
    {
        MbrPartitionSpec[] five = { new(100, 1), new(200, 1), new(300, 1), new(400, 1), new(500, 1) };
        Assert.Contains("4 primary partitions", Assert.Throws<ArgumentException>(() => Mbr(SmallDiskSectors, five)).Message);
    }

    [Fact]
    public void MbrRefusesOverlaps() =>
        Assert.Contains("partition 2 overlaps partition 1",
            Assert.Throws<ArgumentException>(() => Mbr(SmallDiskSectors, new MbrPartitionSpec(100, 100), new MbrPartitionSpec(150, 100))).Message);

    [Fact]
    public void MbrRefusesAPartitionPastTheDisk() =>
        Assert.Contains("past the disk",
            Assert.Throws<ArgumentException>(() => Mbr(SmallDiskSectors, new MbrPartitionSpec(4000, 97))).Message);

    [Fact]
    public void MbrRefusesLbasBeyond32Bits() =>
        Assert.Contains("32-bit",
            Assert.Throws<ArgumentException>(() => MbrWriter.WriteTable(new byte[512], ulong.MaxValue, new[] { new MbrPartitionSpec(1ul << 32, 1) })).Message);

    [Fact]
    public void GptRefusesAPartitionOverTheEntryArray() =>
        Assert.Contains("usable range 34..4062",
            Assert.Throws<ArgumentException>(() => Gpt(SmallDiskSectors, Linux(33, 10))).Message);

    [Fact]
    public void GptRefusesAPartitionOverTheBackupTable() =>
        Assert.Contains("partition 1",
            Assert.Throws<ArgumentException>(() => Gpt(SmallDiskSectors, Linux(4000, 64))).Message);

    [Fact]
    public void GptRefusesOverlaps() =>
        Assert.Contains("partition 2 overlaps partition 1",
            Assert.Throws<ArgumentException>(() => Gpt(SmallDiskSectors, Linux(100, 100), Linux(199, 10))).Message);

    [Fact]
    public void GptRefusesANameLongerThan36() =>
        Assert.Contains("name longer",
            Assert.Throws<ArgumentException>(() => Gpt(SmallDiskSectors, Linux(100, 100, new string('x', 37)))).Message);

    [Fact]
    public void GptGrowsAShortStreamToTheDiskSize()
    {
        using MemoryStream stream = new MemoryStream();
        GptWriter.Write(stream, 100, Array.Empty<GptPartitionSpec>(), DiskGuid);
        Assert.Equal(100 * 512, stream.Length);
    }

    [Fact]
    public void GptRefusesADiskWithNoRoomForBothCopies() =>
        Assert.Throws<ArgumentException>(() => GptWriter.Write(new MemoryStream(), 67, Array.Empty<GptPartitionSpec>(), DiskGuid));
}
