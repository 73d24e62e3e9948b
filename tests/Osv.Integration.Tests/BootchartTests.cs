using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Osv.Cli.Qemu;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

public sealed class BootchartTests
{
    private const string StagePattern = @"^\t(.+): (\d+\.\d+)ms, \(\+(\d+\.\d+)ms\)$";
    private readonly ITestOutputHelper _output;

    public BootchartTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task PrintsAtLeastThreeStagesWithNonDecreasingTimes()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--bootchart");

        var stages = result.Lines
            .Select(line => Regex.Match(line, StagePattern))
            .Where(match => match.Success)
            .Select(match => (
                Name: match.Groups[1].Value,
                At: double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                Delta: double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)))
            .ToList();

        Assert.True(stages.Count >= 3, $"expected at least 3 bootchart stages, found {stages.Count} in:\n{result.SerialOutput}");
        for (int i = 1; i < stages.Count; i++)
            Assert.True(stages[i].At >= stages[i - 1].At, $"stage '{stages[i].Name}' at {stages[i].At} ms comes before '{stages[i - 1].Name}' at {stages[i - 1].At} ms");
        Assert.All(stages, stage => Assert.True(stage.Delta >= 0));
        Assert.Equal(stages.Count, stages.Select(s => s.Name).Distinct().Count());
        Kernel.ExitedWith(result, 0);
    }
}
