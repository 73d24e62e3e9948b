using System;
using Osv.Drivers.Blk;
using Xunit;

namespace Osv.Drivers.Tests.Blk;

public sealed class BlockDeviceTests
{
    private sealed class MemoryDisk : BlockDevice
    {
        public readonly byte[] Bytes;
        public bool ReadOnly;
        public int Calls;

        public MemoryDisk(string name, ulong sectors) : base(name, sectors) => Bytes = new byte[sectors * SectorSize];

        public override bool IsReadOnly => ReadOnly;

        protected override int ReadSectors(ulong sector, Span<byte> destination)
        {
            Calls++;
            Bytes.AsSpan((int)sector * SectorSize, destination.Length).CopyTo(destination);
            return 0;
        }

        protected override int WriteSectors(ulong sector, ReadOnlySpan<byte> source)
        {
            Calls++;
            source.CopyTo(Bytes.AsSpan((int)sector * SectorSize));
            return 0;
        }
    }

    [Fact]
    public void WholeSectorsInsideTheDeviceReachTheDriver()
    {
        var disk = new MemoryDisk("vblk9", 8);
        byte[] data = new byte[1024];
        data[0] = 42;

        Assert.Equal(0, disk.Write(6, data));
        byte[] back = new byte[512];
        Assert.Equal(0, disk.Read(6, back));
        Assert.Equal(42, back[0]);
        Assert.Equal(2, disk.Calls);
    }

    [Theory]
    [InlineData(0ul, 0)]       // nothing
    [InlineData(0ul, 100)]     // not a whole sector
    [InlineData(8ul, 512)]     // past the end
    [InlineData(7ul, 1024)]    // runs over the end
    [InlineData(ulong.MaxValue, 512)]
    public void AnythingElseIsInvalidAndNeverReachesTheDriver(ulong sector, int length)
    {
        var disk = new MemoryDisk("vblk9", 8);

        Assert.Equal(BlockDevice.ErrorInvalid, disk.Read(sector, new byte[length]));
        Assert.Equal(BlockDevice.ErrorInvalid, disk.Write(sector, new byte[length]));
        Assert.Equal(0, disk.Calls);
    }

    [Fact]
    public void AReadOnlyDeviceRefusesWrites()
    {
        var disk = new MemoryDisk("vblk9", 8) { ReadOnly = true };

        Assert.Equal(BlockDevice.ErrorReadOnly, disk.Write(0, new byte[512]));
        Assert.Equal(0, disk.Read(0, new byte[512]));
    }

    [Fact]
    public void TheRegistryFindsDevicesByName()
    {
        int before = BlockDeviceRegistry.Count;
        var disk = new MemoryDisk("test-registry-disk", 1);

        Assert.True(BlockDeviceRegistry.Add(disk));

        Assert.Same(disk, BlockDeviceRegistry.Find("test-registry-disk"));
        Assert.Same(disk, BlockDeviceRegistry.At(before));
        Assert.Null(BlockDeviceRegistry.Find("nope"));
        Assert.Null(BlockDeviceRegistry.At(-1));
    }
}
