using System;
using Osv.Drivers.Pci;
using Xunit;

namespace Osv.Drivers.Tests.Pci;

public sealed class PciCapabilitiesTests
{
    [Fact]
    public void FindsACapabilityAnywhereInTheList()
    {
        byte[] config = new ConfigSpaceBuilder()
            .Capability(0x40, 0x05, 0, 0)
            .Capability(0x50, 0x09, 16)
            .Capability(0x98, 0x11, 0, 0)
            .Build();

        Assert.Equal(0x98, PciCapabilities.Find(config, PciConfigLayout.CapabilityMsiX));
        Assert.Equal(0x40, PciCapabilities.Find(config, 0x05));
        Assert.Equal(0, PciCapabilities.Find(config, 0x10));
    }

    [Fact]
    public void FindNextVisitsEveryCapabilityOfAnIdInOrder()
    {
        byte[] config = new ConfigSpaceBuilder()
            .Capability(0x84, 0x09, 16)
            .Capability(0x40, 0x11, 0)
            .Capability(0x70, 0x09, 16)
            .Capability(0x60, 0x09, 16)
            .Build();

        int first = PciCapabilities.Find(config, 0x09);
        int second = PciCapabilities.FindNext(config, 0x09, first);
        int third = PciCapabilities.FindNext(config, 0x09, second);

        Assert.Equal((0x84, 0x70, 0x60), (first, second, third));
        Assert.Equal(0, PciCapabilities.FindNext(config, 0x09, third));
    }

    [Fact]
    public void NoCapabilitiesWithoutTheStatusBit()
    {
        byte[] config = new ConfigSpaceBuilder().Capability(0x40, 0x11, 0).Poke(0x06, 0).Build();

        Assert.Equal(0, PciCapabilities.Find(config, 0x11));
    }

    [Fact]
    public void ALoopingListEnds()
    {
        byte[] config = new ConfigSpaceBuilder().Capability(0x40, 0x09, 0).Capability(0x50, 0x09, 0).Build();
        config[0x51] = 0x40; // 0x50 -> 0x40 -> 0x50 ...

        Assert.Equal(0, PciCapabilities.Find(config, 0x11));
        Assert.Equal(0x50, PciCapabilities.FindNext(config, 0x09, 0x40));
    }

    [Theory]
    [InlineData(0x00)] // null pointer
    [InlineData(0x20)] // inside the standard header
    [InlineData(0xFF)] // would read past the end (masked to 0xFC, whose next byte is still inside)
    public void PointersIntoTheHeaderOrPastTheEndAreNotFollowed(byte pointer)
    {
        byte[] config = new ConfigSpaceBuilder().Capability(0x40, 0x11, 0).Poke(0x34, pointer).Build();

        Assert.Equal(0, PciCapabilities.Find(config, 0x11));
    }

    [Fact]
    public void ASnapshotShorterThanTheConfigSpaceHasNoCapabilities()
    {
        byte[] config = new ConfigSpaceBuilder().Capability(0x40, 0x11, 0).Build();

        Assert.Equal(0, PciCapabilities.Find(config.AsSpan(0, 128), 0x11));
    }
}
