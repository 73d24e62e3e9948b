using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// The in-kernel test suites of the test image (--test=all): threads and the scheduler, synchronization,
/// timers, RCU, lazy stacks, libc (its own tests: LibcTests); and the thread benchmark.
/// </summary>
public sealed class ThreadTests
{
    private static readonly (string Suite, string Test)[] ExpectedTests =
    {
        ("threads", "a thousand threads created and joined, nothing leaked"),
        ("threads", "sleep lasts at least as long as asked"),
        ("threads", "a sleeping thread gives the CPU away"),
        ("threads", "preemption: two threads that never yield both run"),
        ("threads", "detached threads free themselves"),
        ("sync", "mutex: eight threads, a thousand critical sections each, never two inside"),
        ("sync", "condition variable: a thousand ping-pong rounds"),
        ("sync", "semaphore: at most three of eight threads inside at once"),
        ("sync", "reader-writer lock: readers share, a writer is alone"),
        ("stacks", "a lazy stack maps pages on first touch and gives them back"),
        ("stacks", "200 threads with 1 MiB lazy stacks cost far less than 200 MiB"),
    };

    private static readonly (string Suite, string Test)[] EverySuite =
        ExpectedTests.Concat(LibcTests.ExpectedTests.Select(test => ("libc", test))).ToArray();

    private readonly ITestOutputHelper _output;

    public ThreadTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1, "128M")]
    [InlineData(4, "64M")]
    public async Task EverySuitePassesRepeatedly(int cpus, string memory)
    {
        // Three boots side by side: timing-dependent failures (preemption, sleep) show up under load.
        var runs = new Task<VmRunResult>[3];
        for (int i = 0; i < runs.Length; i++)
            runs[i] = Kernel.BootAsync(_output, "--test=all", "q35", memory, cpus, testImage: true);
        foreach (VmRunResult result in await Task.WhenAll(runs))
        {
            foreach ((string suite, string test) in EverySuite)
                Kernel.Line(result, $"^test {suite}: {Regex.Escape(test)}: ok$");
            Assert.Empty(Kernel.LinesMatching(result, "FAILED"));
            Kernel.Line(result, $"^tests: {EverySuite.Length} passed, 0 failed$");
            Kernel.ExitedWith(result, 0);
        }
    }

    [Fact]
    public async Task ASuiteCanRunAlone()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=sync", cpus: 2, testImage: true);

        string[] sync = ExpectedTests.Where(t => t.Suite == "sync").Select(t => t.Test).ToArray();
        foreach (string test in sync)
            Kernel.Line(result, $"^test sync: {Regex.Escape(test)}: ok$");
        Assert.Empty(Kernel.LinesMatching(result, "^test (threads|stacks|timers|rcu|libc): "));
        Kernel.Line(result, $"^tests: {sync.Length} passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task TheDefaultImageHasNoTestSuites()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=threads");

        Kernel.Line(result, @"^Error: --test, --selftest and --bench exist only in the test image: \./osv build --tests");
        Kernel.ExitedWith(result, 2);
    }

    [Fact]
    public async Task TheThreadBenchmarkReportsEveryMeasurement()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--bench=threads", testImage: true);

        foreach (string name in new[] { "create+join", "context switch (same CPU)", "mutex lock+unlock, uncontended", "mutex lock+unlock, two threads contending" })
        {
            var line = Kernel.Line(result, $@"^bench threads: {Regex.Escape(name)}: (\d+) ns/op \((\d+) ops\)$");
            Assert.True(long.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
        Kernel.ExitedWith(result, 0);
    }
}
