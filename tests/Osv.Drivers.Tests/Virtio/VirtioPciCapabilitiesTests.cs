using Osv.Drivers.Tests.Pci;
using Osv.Drivers.Virtio;
using Xunit;

namespace Osv.Drivers.Tests.Virtio;

public sealed class VirtioPciCapabilitiesTests
{
    /// <summary>The layout QEMU 7.2 gives a modern virtio-blk-pci: MSI-X, then the vendor capabilities in BAR 4.</summary>
    private static byte[] QemuLayout() => new ConfigSpaceBuilder()
        .Capability(0x98, 0x11, 0x01, 0x80, 0x01, 0, 0, 0, 0x01, 0x08, 0, 0)
        .VirtioCapability(0x84, VirtioPciCapabilities.TypeCommon, 4, 0x0000, 0x1000) // cfg type 5 (pci cfg access) omitted
        .VirtioCapability(0x70, VirtioPciCapabilities.TypeIsr, 4, 0x1000, 0x1000)
        .VirtioCapability(0x60, VirtioPciCapabilities.TypeDevice, 4, 0x2000, 0x1000)
        .VirtioCapability(0x40, VirtioPciCapabilities.TypeNotify, 4, 0x3000, 0x1000, notifyMultiplier: 4)
        .Build();

    [Fact]
    public void FindsEveryStructure()
    {
        VirtioPciCapabilities caps = VirtioPciCapabilities.Parse(QemuLayout());

        Assert.True(caps.IsModern);
        Assert.Equal((4, 0x0000u, 0x1000u), ((int)caps.Common.Bar, caps.Common.Offset, caps.Common.Length));
        Assert.Equal((4, 0x1000u), ((int)caps.Isr.Bar, caps.Isr.Offset));
        Assert.Equal((4, 0x2000u), ((int)caps.Device.Bar, caps.Device.Offset));
        Assert.Equal((4, 0x3000u), ((int)caps.Notify.Bar, caps.Notify.Offset));
        Assert.Equal(4u, caps.NotifyOffsetMultiplier);
    }

    [Fact]
    public void TheFirstCapabilityOfATypeWins()
    {
        byte[] config = new ConfigSpaceBuilder()
            .VirtioCapability(0x40, VirtioPciCapabilities.TypeCommon, 2, 0x100, 0x38)
            .VirtioCapability(0x50, VirtioPciCapabilities.TypeCommon, 4, 0x200, 0x38)
            .Build();

        Assert.Equal(2, VirtioPciCapabilities.Parse(config).Common.Bar);
    }

    [Fact]
    public void ALegacyOnlyDeviceHasNoModernStructures()
    {
        byte[] config = new ConfigSpaceBuilder(device: 0x1001).Capability(0x40, 0x11, 0x01, 0, 1, 0, 0, 0, 1, 8, 0, 0).Build();

        Assert.False(VirtioPciCapabilities.Parse(config).IsModern);
    }

    [Fact]
    public void BadBarIndexesAndShortCapabilitiesAreIgnored()
    {
        byte[] config = new ConfigSpaceBuilder()
            .VirtioCapability(0x40, VirtioPciCapabilities.TypeCommon, 6, 0, 0x38)
            .VirtioCapability(0x54, VirtioPciCapabilities.TypeNotify, 0, 0, 0x1000) // no multiplier: too short for a notify cap
            .Build();

        VirtioPciCapabilities caps = VirtioPciCapabilities.Parse(config);

        Assert.False(caps.Common.IsPresent);
        Assert.False(caps.Notify.IsPresent);
    }

    [Theory]
    [InlineData(0x1AF4, 0x1042, 2)]
    [InlineData(0x1AF4, 0x1001, 2)]
    [InlineData(0x1AF4, 0x1000, 1)]
    [InlineData(0x1AF4, 0x1041, 1)]
    [InlineData(0x1AF4, 0x1100, 0)]
    [InlineData(0x8086, 0x1042, 0)]
    public void DeviceTypeFromPciIds(int vendor, int device, int type)
    {
        Assert.Equal(type, VirtioConstants.DeviceType((ushort)vendor, (ushort)device));
    }
}
