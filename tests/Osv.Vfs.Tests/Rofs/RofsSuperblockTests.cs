using System;
using System.Buffers.Binary;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Osv.Vfs.Tests.Support;
using Xunit;
using static Osv.Vfs.Tests.Rofs.RofsTestKit;

namespace Osv.Vfs.Tests.Rofs;

/// <summary>Mount refuses a superblock that does not describe a rofs image inside the device, and says which field.</summary>
public sealed class RofsSuperblockTests : LeakCheckedTest
{
    private static byte[] Image() => RofsImageWriter.Build(new RofsSourceTree().AddFile("/etc/hosts", Bytes(600, 1)).AddSymlink("/l", "etc"));

    private static RofsResult MountWithField(int fieldOffset, ulong value)
    {
        byte[] image = Image();
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(fieldOffset), value);
        RofsResult result = TryMount(image, out RofsVolume? volume);
        Assert.Null(volume);
        return result;
    }

    [Theory]
    [InlineData(0, 0xDEADBEEFUL, RofsStatus.BadMagic)]
    [InlineData(0, 0UL, RofsStatus.BadMagic)]
    [InlineData(8, 2UL, RofsStatus.UnsupportedVersion)]
    [InlineData(16, 4096UL, RofsStatus.UnsupportedBlockSize)]
    [InlineData(24, 0UL, RofsStatus.StructureRegionOutsideDevice)]
    [InlineData(24, 1000UL, RofsStatus.StructureRegionOutsideDevice)]
    [InlineData(24, ulong.MaxValue, RofsStatus.StructureRegionOutsideDevice)]
    [InlineData(32, 1000UL, RofsStatus.StructureRegionOutsideDevice)]
    [InlineData(32, ulong.MaxValue, RofsStatus.StructureRegionOutsideDevice)]
    [InlineData(40, 1UL << 40, RofsStatus.CountTooLarge)]
    [InlineData(48, 1UL << 40, RofsStatus.CountTooLarge)]
    [InlineData(56, 1UL << 40, RofsStatus.CountTooLarge)]
    [InlineData(56, 0UL, RofsStatus.RootNotDirectory)]
    public void ABadFieldIsNamedByItsOffset(int fieldOffset, ulong value, RofsStatus expected)
    {
        RofsResult result = MountWithField(fieldOffset, value);
        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == RofsStatus.RootNotDirectory ? RofsStructure.Inode : RofsStructure.Superblock, result.Structure);
        if (expected != RofsStatus.RootNotDirectory)
            Assert.Equal((ulong)fieldOffset, result.Index);
    }

    [Fact]
    public void ARegionLargerThanTheReaderAcceptsIsRefusedBeforeAllocating()
    {
        // A device big enough to hold it, so only the size limit can refuse it.
        var superblock = new RofsSuperblock(RofsLayout.Magic, RofsLayout.Version, RofsLayout.BlockSize, 1,
            RofsLayout.MaxStructureBytes / RofsLayout.BlockSize + 1, 0, 0, 1);
        Assert.Equal(RofsStatus.StructureRegionTooLarge, superblock.Validate(RofsLayout.MaxStructureBytes * 2).Status);
        Assert.True(new RofsSuperblock(RofsLayout.Magic, RofsLayout.Version, RofsLayout.BlockSize, 1,
            RofsLayout.MaxStructureBytes / RofsLayout.BlockSize, 0, 0, 1).Validate(RofsLayout.MaxStructureBytes * 2).IsOk);
    }

    [Fact]
    public void ADeviceSmallerThanABlockHasNoSuperblock()
    {
        Assert.Equal(RofsStatus.DeviceTooSmall, TryMount(new byte[511], out _).Status);
        Assert.Equal(RofsStatus.DeviceTooSmall, TryMount(Array.Empty<byte>(), out _).Status);
    }

    [Fact]
    public void AZeroedDeviceHasABadMagic() => Assert.Equal(RofsStatus.BadMagic, TryMount(new byte[4096], out _).Status);

    [Fact]
    public void DeviceErrorsAreReportedWithTheirErrnoAndOffset()
    {
        byte[] image = Image();
        var failingSuperblock = new MemoryBlockDevice(image) { FailFrom = 0 };
        RofsResult result = TryMount(failingSuperblock, out _);
        Assert.Equal(RofsStatus.DeviceReadFailed, result.Status);
        Assert.Equal(-MemoryBlockDevice.EIO, result.Errno);
        Assert.Equal(0UL, result.Offset);

        ulong structureOffset = RofsSuperblock.Decode(image).StructureOffset;
        result = TryMount(new MemoryBlockDevice(image) { FailFrom = structureOffset + 1 }, out _);
        Assert.Equal(RofsStatus.DeviceReadFailed, result.Status);
        Assert.Equal(structureOffset, result.Offset);
    }

    [Fact]
    public void FailedAllocationsFailTheMountWithoutLeaking()
    {
        byte[] image = Image();
        for (int successes = 0; successes < 2; successes++)
        {
            TrackingAllocator.FailAfter(successes);
            RofsResult result = TryMount(image, out RofsVolume? volume);
            Assert.Equal(RofsStatus.OutOfMemory, result.Status);
            Assert.Null(volume);
            AssertNoLeaks();
            TrackingAllocator.Reset();
        }
    }

    [Fact]
    public void EveryTruncationIsRefusedAtMount()
    {
        byte[] image = Image();
        for (int length = 0; length < image.Length; length += 17)
        {
            RofsResult result = TryMount(image.AsSpan(0, length).ToArray(), out RofsVolume? volume);
            Assert.Null(volume);
            // The structure region is last, so any cut takes part of it off the device.
            Assert.Equal(length < RofsLayout.BlockSize ? RofsStatus.DeviceTooSmall : RofsStatus.StructureRegionOutsideDevice, result.Status);
        }
        using RofsVolume whole = Mount(image);
    }
}
