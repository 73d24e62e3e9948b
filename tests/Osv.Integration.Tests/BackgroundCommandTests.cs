using System;
using System.Linq;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// `&amp;` on the command line (tests/apps/concurrent.c, musl static PIEs): a background program runs
/// while the list goes on, each program keeps its own break and mappings, one program's exit or
/// fault does not end the others, and the VM waits for background programs before it exits.
/// </summary>
public sealed class BackgroundCommandTests
{
    private readonly ITestOutputHelper _output;

    public BackgroundCommandTests(ITestOutputHelper output) => _output = output;

    private Task<VmRunResult> Run(string commandLine, int cpus)
    {
        string image = ApplicationTests.Image("background",
            ("/concurrent", TestApps.StaticPieWithMusl("concurrent")),
            ("/faults", TestApps.StaticPieWithMusl("faults")),
            ("/hello-glibc", TestApps.GlibcPie("hello")));
        return Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });
    }

    private static int IndexOf(VmRunResult result, string line)
    {
        int index = Array.IndexOf(result.Lines, line);
        Assert.True(index >= 0, $"missing line '{line}':\n{result.SerialOutput}");
        return index;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ABackgroundProgramRunsAlongsideTheNextCommandsAndTheVmWaitsForIt(int cpus)
    {
        VmRunResult result = await Run("/concurrent a 8 100 7 & /concurrent b 3 100 3 ; /concurrent c 2 50 5", cpus);

        // a started first but is still printing after b ended and c ran: they overlapped, and the VM waited for a.
        Assert.True(IndexOf(result, "b 0") < IndexOf(result, "a 2"), "b must start while a runs");
        Assert.True(IndexOf(result, "c 1") < IndexOf(result, "a 7"), "c must run while a still runs");
        Assert.True(IndexOf(result, "b: memory intact") < IndexOf(result, "c 0"), "c starts after b (;) ends");
        foreach (string name in new[] { "a", "b", "c" })
            IndexOf(result, $"{name}: memory intact"); // each program's break and mapping kept what it wrote
        Assert.Empty(Kernel.LinesMatching(result, "CHANGED|PANIC|Warning"));
        Kernel.ExitedWith(result, 5); // the last waited-for command's status, not a's 7
    }

    [Fact]
    public async Task AnotherProgramsExitOrFaultDoesNotEndABackgroundProgram()
    {
        VmRunResult result = await Run("/concurrent a 5 100 0 & /faults exit 4 ; /faults null ; /concurrent c 1 0 9", 2);

        Assert.True(IndexOf(result, "/faults: terminated by signal 11 (status 139)") < IndexOf(result, "a 4"),
            "a must still be running after the other programs exited and faulted");
        IndexOf(result, "a: memory intact");
        IndexOf(result, "c: memory intact");
        Kernel.ExitedWith(result, 9);
    }

    [Fact]
    public async Task ABackgroundProgramsEndIsReportedWhenItHappensNotAtTheEnd()
    {
        VmRunResult result = await Run("/faults null & /concurrent c 4 100 0", 1);

        Assert.True(IndexOf(result, "/faults: terminated by signal 11 (status 139)") < IndexOf(result, "c 3"),
            "the background program's end must be reported while the foreground one still runs");
        IndexOf(result, "c: memory intact");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task OnlyBackgroundCommandsGiveTheLastOnesStatus()
    {
        VmRunResult result = await Run("/concurrent a 3 100 0 & /faults exit 200 &", 1);

        IndexOf(result, "a: memory intact");
        Kernel.ExitedWith(result, 200);
    }

    [Fact]
    public async Task ACommandAfterABackgroundLinkedProgramWaitsForItAndSaysSo()
    {
        VmRunResult result = await Run("/hello-glibc & /concurrent c 1 0 0", 1);

        int note = IndexOf(result, "/concurrent: waits for /hello-glibc to end first: a program linked against the kernel's C library runs alone");
        Assert.True(IndexOf(result, "Hello from /hello-glibc: 0 arguments") > note);
        Assert.True(IndexOf(result, "c 0") > IndexOf(result, "Hello from /hello-glibc: 0 arguments"));
        Kernel.ExitedWith(result, 0);
    }
}
