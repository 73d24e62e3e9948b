using System.Globalization;
using Osv.Cli.Qemu;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>The boot console contract: banner, boot time, command line, exit status.</summary>
public sealed class BootTests
{
    private readonly ITestOutputHelper _output;

    public BootTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task PrintsBannerBootTimeAndCommandLineInOrderThenExitsZero()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "");

        Kernel.Line(result, @"^OSv# \S+", out int banner);
        var booted = Kernel.Line(result, @"^Booted up in (\d+\.\d+) ms$", out int bootedAt);
        Kernel.Line(result, @"^Cmdline:\s*$", out int cmdlineAt);
        Assert.True(banner < bootedAt && bootedAt < cmdlineAt, "banner, boot time and command line must come in this order");
        double milliseconds = double.Parse(booted.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(milliseconds, double.Epsilon, 9999.999);
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task HelpListsTheOptionsAndExitsZero()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--help");

        Kernel.Line(result, "^Cmdline: --help$");
        Kernel.Line(result, "--bootchart");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task AnUnknownOptionIsReportedWithStatus1()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--nope");

        Kernel.Line(result, "^Cmdline: --nope$");
        Kernel.Line(result, "unknown option '--nope'");
        Kernel.ExitedWith(result, 1);
    }
}
