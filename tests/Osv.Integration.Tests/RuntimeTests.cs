using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>The kernel-flavor runtime, exercised inside the real kernel (--selftest), and the boot clock.</summary>
public sealed class RuntimeTests
{
    private static readonly string[] ExpectedChecks =
    {
        "interface dispatch over six implementations",
        "default interface method",
        "virtual dispatch and overrides",
        "casts: is, as, interface, array covariance",
        "class constructor runs once, lazily",
        "reference-type statics initialized at start-up",
        "boxing and unboxing, nullable",
        "strings: literals, equality, substring, new string",
        "spans: stackalloc, slice, copy, fill",
        "generics over reference types",
        "objects are freed back to the heap",
    };

    private readonly ITestOutputHelper _output;

    public RuntimeTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("q35", "128M")]
    [InlineData("microvm", "8M")]
    public async Task EveryRuntimeCheckPassesInTheKernel(string machine, string memory)
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--selftest", machine, memory);

        foreach (string check in ExpectedChecks)
            Kernel.Line(result, $"^selftest: {System.Text.RegularExpressions.Regex.Escape(check)}: ok$");
        Assert.Empty(Kernel.LinesMatching(result, "FAILED"));
        Kernel.Line(result, $"^selftest: {ExpectedChecks.Length} checks passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task ReportedBootTimeIsPositiveAndWithinTheVmsWallTime()
    {
        // The kernel measures from its first instruction with a PIT-calibrated TSC: it can never
        // exceed the wall time of the whole QEMU run, and a mis-calibrated clock quickly would.
        VmRunResult result = await Kernel.BootAsync(_output, "--bootchart");

        var booted = Kernel.Line(result, @"^Booted up in (\d+\.\d+) ms$");
        double milliseconds = double.Parse(booted.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(milliseconds, 0.01, result.Elapsed.TotalMilliseconds);
        Assert.DoesNotContain("not calibrated", string.Join('\n', result.Lines));
        Kernel.ExitedWith(result, 0);
    }
}
