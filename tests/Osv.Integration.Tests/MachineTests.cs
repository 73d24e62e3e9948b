using Osv.Cli.Qemu;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>The kernel boots on every supported machine shape.</summary>
public sealed class MachineTests
{
    private readonly ITestOutputHelper _output;

    public MachineTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("microvm", "128M", 1)]
    [InlineData("q35", "32M", 1)]
    [InlineData("q35", "128M", 2)]
    public async Task Boots(string machine, string memory, int cpus)
    {
        VmRunResult result = await Kernel.BootAsync(_output, "", machine, memory, cpus);

        Kernel.Line(result, @"^OSv# \S+");
        Kernel.Line(result, @"^Booted up in \d+\.\d+ ms$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("q35", 1)]
    [InlineData("q35", 4)]
    [InlineData("microvm", 3)]
    public async Task EveryCpuComesOnlineOnItsOwnStacks(string machine, int cpus)
    {
        // The kernel reads the CPUs from ACPI's MADT, starts each with INIT/start-up IPIs on its own
        // GDT, TSS (IST stacks behind guard pages) and %fs block, and counts those that report in.
        VmRunResult result = await Kernel.BootAsync(_output, "--verbose --bootchart", machine, "64M", cpus);

        Kernel.Line(result, $"^cpus: {cpus} online$");
        Kernel.Line(result, @"^\tSMP launched: \d+\.\d+ms");
        Assert.Empty(Kernel.LinesMatching(result, "did not start"));
        Kernel.ExitedWith(result, 0);
    }
}
