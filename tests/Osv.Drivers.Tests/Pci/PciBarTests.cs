using Osv.Drivers.Pci;
using Xunit;

namespace Osv.Drivers.Tests.Pci;

public sealed class PciBarTests
{
    [Fact]
    public void ThirtyTwoBitMemory()
    {
        PciBar bar = PciBar.Decode(0xFEBD1000, 0, 0xFFFFF000, 0);

        Assert.True(bar.IsMemory);
        Assert.False(bar.Is64Bit);
        Assert.False(bar.IsPrefetchable);
        Assert.Equal(0xFEBD1000UL, bar.Address);
        Assert.Equal(0x1000UL, bar.Size);
    }

    [Fact]
    public void SixtyFourBitPrefetchableMemoryAboveFourGiB()
    {
        Assert.True(PciBar.TakesTwoRegisters(0x0000000C));

        PciBar bar = PciBar.Decode(0xFE00000C, 0x8, 0xFFFFC00C, 0xFFFFFFFF);

        Assert.True(bar.IsMemory);
        Assert.True(bar.Is64Bit);
        Assert.True(bar.IsPrefetchable);
        Assert.Equal(0x8_FE00_0000UL, bar.Address);
        Assert.Equal(0x4000UL, bar.Size);
    }

    [Fact]
    public void ALargeSixtyFourBitBarSizesAcrossBothHalves()
    {
        PciBar bar = PciBar.Decode(0x0000000C, 0x10, 0x0000000C, 0xFFFFFFFE);

        Assert.Equal(0x2_0000_0000UL, bar.Size);
    }

    [Fact]
    public void IoSpace()
    {
        Assert.False(PciBar.TakesTwoRegisters(0xC041));

        PciBar bar = PciBar.Decode(0xC041, 0, 0xFFFFFFC1, 0);

        Assert.True(bar.IsIo);
        Assert.False(bar.IsMemory);
        Assert.Equal(0xC040UL, bar.Address);
        Assert.Equal(0x40UL, bar.Size);
    }

    [Fact]
    public void IoSpaceWhoseUpperHalfReadsBackAsZero()
    {
        PciBar bar = PciBar.Decode(0xC001, 0, 0x0000FFE1, 0);

        Assert.Equal(0x20UL, bar.Size);
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(0x1u, 0x1u)]
    public void AnUnimplementedBarIsAbsent(uint low, uint sizing)
    {
        PciBar bar = PciBar.Decode(low, 0, sizing, 0);

        Assert.False(bar.IsPresent);
        Assert.False(bar.IsMemory);
    }
}
