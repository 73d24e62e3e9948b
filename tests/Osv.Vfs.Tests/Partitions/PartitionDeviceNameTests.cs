using Osv.Vfs.Partitions;
using Xunit;

namespace Osv.Vfs.Tests.Partitions;

public class PartitionDeviceNameTests
{
    [Theory]
    [InlineData(0, 1, "/dev/vblk0.1")]
    [InlineData(1, 2, "/dev/vblk1.2")]
    [InlineData(12, 128, "/dev/vblk12.128")]
    public void FormatsOsvPartitionNames(int disk, int partition, string expected)
    {
        char[] buffer = new char[32];
        int length = PartitionDeviceName.FormatVirtioBlock(buffer, disk, partition);
        Assert.Equal(expected, new string(buffer, 0, length));
    }

    [Fact]
    public void FormatsTheDiskName()
    {
        char[] buffer = new char[16];
        int length = PartitionDeviceName.FormatVirtioBlockDisk(buffer, 3);
        Assert.Equal("/dev/vblk3", new string(buffer, 0, length));
    }

    [Fact]
    public void AppendsThePartitionToAnyDiskName()
    {
        char[] buffer = new char[16];
        int length = PartitionDeviceName.Format(buffer, "/dev/nvme0", 2);
        Assert.Equal("/dev/nvme0.2", new string(buffer, 0, length));
    }

    [Theory]
    [InlineData(11)] // "/dev/vblk0." without its digit
    [InlineData(5)]
    [InlineData(0)]
    public void RefusesADestinationTooShort(int size) =>
        Assert.Equal(-1, PartitionDeviceName.FormatVirtioBlock(new char[size], 0, 1));

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 0)]
    [InlineData(0, -3)]
    public void RefusesIndexesOutOfRange(int disk, int partition) =>
        Assert.Equal(-1, PartitionDeviceName.FormatVirtioBlock(new char[32], disk, partition));
}
