using Osv.Core.Linux;
using Xunit;

namespace Osv.Core.Tests.Linux;

public sealed unsafe class GlibcSigactionTests
{
    private const uint SaSiginfo = 4;
    private const uint SaResethand = 0x80000000;

    [Fact]
    public void LayoutIsGlibcsOnX64()
    {
        // sizeof and offsetof as gcc reports them for <signal.h>'s struct sigaction (glibc 2.36).
        GlibcSigaction action = default;
        byte* start = (byte*)&action;
        Assert.Equal(152, sizeof(GlibcSigaction));
        Assert.Equal(8, (int)((byte*)action.Mask - start));
        Assert.Equal(136, (int)((byte*)&action.Flags - start));
        Assert.Equal(144, (int)((byte*)&action.Restorer - start));
    }

    [Fact]
    public void ToKernelInstallsTheLibrarysRestorerAndKeepsTheFlagsUnsigned()
    {
        GlibcSigaction action = default;
        action.Handler = 0x1234;
        action.Mask[0] = 1UL << 9;
        action.Mask[1] = ulong.MaxValue; // signals above 64 do not exist
        action.Flags = unchecked((int)(SaSiginfo | SaResethand));
        action.Restorer = 0xBAD;

        KernelSigaction kernel = GlibcSigaction.ToKernel(action, 0x5678);

        Assert.Equal(0x1234UL, kernel.Handler);
        Assert.Equal(1UL << 9, kernel.Mask);
        Assert.Equal((ulong)(SaSiginfo | SaResethand | GlibcSigaction.SaRestorer), kernel.Flags);
        Assert.Equal(0x5678UL, kernel.Restorer);
    }

    [Fact]
    public void FromKernelFillsOnlyTheFirstMaskWord()
    {
        KernelSigaction kernel;
        kernel.Handler = 1; // SIG_IGN
        kernel.Flags = SaResethand | GlibcSigaction.SaRestorer;
        kernel.Restorer = 0x9000;
        kernel.Mask = 0x8000_0000_0000_0001;

        GlibcSigaction action = GlibcSigaction.FromKernel(kernel);

        Assert.Equal(1UL, action.Handler);
        Assert.Equal(0x8000_0000_0000_0001UL, action.Mask[0]);
        for (int i = 1; i < GlibcSigaction.MaskWords; i++)
            Assert.Equal(0UL, action.Mask[i]);
        Assert.Equal(unchecked((int)(SaResethand | GlibcSigaction.SaRestorer)), action.Flags);
        Assert.Equal(0x9000UL, action.Restorer);
    }
}
