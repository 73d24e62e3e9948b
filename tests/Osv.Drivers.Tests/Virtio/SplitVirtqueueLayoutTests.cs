using Osv.Drivers.Virtio;
using Xunit;

namespace Osv.Drivers.Tests.Virtio;

public sealed class SplitVirtqueueLayoutTests
{
    [Fact]
    public void ModernLayoutPacksTheRings()
    {
        var layout = new SplitVirtqueueLayout(256, legacy: false);

        Assert.Equal(4096u, layout.AvailableOffset);
        Assert.Equal(4096u + 518 + 2, layout.UsedOffset); // 4614 rounded up to 4
        Assert.Equal(layout.UsedOffset + 6 + 8 * 256, layout.TotalBytes);
    }

    [Fact]
    public void LegacyLayoutPutsTheUsedRingOnItsOwnPage()
    {
        // vring_size(256, 4096) in Linux and the legacy spec: 8192 + 6 + 8 * 256 = 10246.
        var layout = new SplitVirtqueueLayout(256, legacy: true);

        Assert.Equal(8192u, layout.UsedOffset);
        Assert.Equal(12288u, layout.TotalBytes);
        Assert.Equal(4096u + 4096, new SplitVirtqueueLayout(128, legacy: true).TotalBytes);
    }

    [Theory]
    [InlineData(1u, true)]
    [InlineData(256u, true)]
    [InlineData(32768u, true)]
    [InlineData(0u, false)]
    [InlineData(100u, false)]
    [InlineData(65536u, false)]
    public void QueueSizesArePowersOfTwo(uint size, bool valid)
    {
        Assert.Equal(valid, SplitVirtqueueLayout.IsValidSize(size));
    }
}
