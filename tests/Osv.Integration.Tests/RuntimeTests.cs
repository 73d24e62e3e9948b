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
        "an interrupt leaves the interrupted stack's red zone intact",
        "an interrupt preserves every general-purpose and SSE register",
        "an inter-processor interrupt reaches every other CPU",
        "kernel timers fire in deadline order; periodic and cancelled ones too",
    };

    private readonly ITestOutputHelper _output;

    public RuntimeTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("q35", "128M", 1)]
    [InlineData("q35", "128M", 4)]
    [InlineData("microvm", "8M", 2)]
    public async Task EveryRuntimeCheckPassesInTheKernel(string machine, string memory, int cpus)
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--selftest", machine, memory, cpus, testImage: true);

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
        // exceed the wall time of the whole QEMU run. A calibration glitch (a stale PIT count once
        // inflated it 75x in one boot of ten) shows up as a boot "longer" than its VM; eight boots
        // side by side also load the host the way a busy CI machine does.
        var boots = new Task<VmRunResult>[8];
        for (int i = 0; i < boots.Length; i++)
            boots[i] = Kernel.BootAsync(_output, "--bootchart");
        foreach (VmRunResult result in await Task.WhenAll(boots))
        {
            var booted = Kernel.Line(result, @"^Booted up in (\d+\.\d+) ms$");
            double milliseconds = double.Parse(booted.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(milliseconds, 0.01, result.Elapsed.TotalMilliseconds);
            Assert.DoesNotContain("not calibrated", string.Join('\n', result.Lines));
            Kernel.ExitedWith(result, 0);
        }
    }

    [Fact]
    public async Task VerboseReportsTheMemoryMapAndClocksCalibratedAgainstAnIndependentReference()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--verbose", memory: "64M");

        // QEMU's PVH memory map for 64M: low memory and RAM above 1 MiB up to 64M (minus firmware tables).
        Kernel.Line(result, "^memory map: 0x0-0x9fc00 usable$");
        Kernel.Line(result, "^memory map: 0x100000-0x[0-9a-f]+ usable$");
        var memory = Kernel.Line(result, @"^memory: (\d+) KiB managed, (\d+) KiB in use \((\d+) page-table pages, (\d+) heap blocks\)$");
        long managed = long.Parse(memory.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(managed, 60 * 1024, 64 * 1024);
        Assert.InRange(long.Parse(memory.Groups[2].Value, CultureInfo.InvariantCulture), 1, 4096);

        // Under TCG, QEMU's local APIC timer counts at 1 GHz / 16 (the divider the kernel programs).
        // The kernel measures it against its TSC, which it calibrated against the PIT: a wrong
        // calibration shows up here as a wrong APIC frequency.
        Kernel.Line(result, "^threads: 2$"); // the boot thread and CPU 0's idle thread; no service threads
        var clock = Kernel.Line(result, @"^clock: TSC (\d+) kHz \(PIT-calibrated\), APIC timer (\d+) kHz$");
        Assert.True(long.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture) > 100_000, "TSC below 100 MHz");
        Assert.InRange(long.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture), 59_375, 65_625);
        Kernel.ExitedWith(result, 0);
    }
}
