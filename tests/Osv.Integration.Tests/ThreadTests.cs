using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>The in-kernel thread suite (--test=threads): scheduler, mutex, condition variable, sleep, preemption.</summary>
public sealed class ThreadTests
{
    private static readonly string[] ExpectedTests =
    {
        "a thousand threads created and joined, nothing leaked",
        "mutex: eight threads, a thousand critical sections each, never two inside",
        "condition variable: a thousand ping-pong rounds",
        "semaphore: at most three of eight threads inside at once",
        "reader-writer lock: readers share, a writer is alone",
        "sleep lasts at least as long as asked",
        "a sleeping thread gives the CPU away",
        "preemption: two threads that never yield both run",
        "detached threads free themselves",
        "a lazy stack maps pages on first touch and gives them back",
        "200 threads with 1 MiB lazy stacks cost far less than 200 MiB",
    };

    private readonly ITestOutputHelper _output;

    public ThreadTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1, "128M")]
    [InlineData(4, "64M")]
    public async Task TheThreadSuitePassesRepeatedly(int cpus, string memory)
    {
        // Three boots side by side: timing-dependent failures (preemption, sleep) show up under load.
        var runs = new Task<VmRunResult>[3];
        for (int i = 0; i < runs.Length; i++)
            runs[i] = Kernel.BootAsync(_output, "--test=threads", "q35", memory, cpus);
        foreach (VmRunResult result in await Task.WhenAll(runs))
        {
            foreach (string test in ExpectedTests)
                Kernel.Line(result, $"^test threads: {System.Text.RegularExpressions.Regex.Escape(test)}: ok$");
            Assert.Empty(Kernel.LinesMatching(result, "FAILED"));
            Kernel.Line(result, $"^tests: {ExpectedTests.Length} passed, 0 failed$");
            Kernel.ExitedWith(result, 0);
        }
    }

    [Fact]
    public async Task TheThreadBenchmarkReportsEveryMeasurement()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--bench=threads");

        foreach (string name in new[] { "create+join", "context switch (same CPU)", "mutex lock+unlock, uncontended", "mutex lock+unlock, two threads contending" })
        {
            var line = Kernel.Line(result, $@"^bench threads: {System.Text.RegularExpressions.Regex.Escape(name)}: (\d+) ns/op \((\d+) ops\)$");
            Assert.True(long.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
        Kernel.ExitedWith(result, 0);
    }
}
