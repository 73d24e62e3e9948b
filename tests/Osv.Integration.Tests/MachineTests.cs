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
}
