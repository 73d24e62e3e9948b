using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// A fault in a program's code (tests/apps/faults.c) is the program's, not the kernel's: it ends the
/// program with 128+signal as Linux's default action does (or runs the program's SIGSEGV handler with
/// siginfo), the next `;` command still runs, and the VM's status is the last command's — restored by
/// `osv run` from the console when it is above 125. Bad pointers given to system calls are EFAULT.
/// </summary>
public sealed class ProgramFaultTests
{
    private readonly ITestOutputHelper _output;

    public ProgramFaultTests(ITestOutputHelper output) => _output = output;

    private Task<VmRunResult> Run(string commandLine, int cpus = 1)
    {
        string image = ApplicationTests.Image("faults", ("/faults", TestApps.StaticPieWithMusl("faults")));
        return Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });
    }

    [Theory]
    [InlineData("null", "writing through a null pointer", 11)]
    [InlineData("ud2", "executing ud2", 4)]
    [InlineData("divide", "dividing by zero", 8)]
    public async Task AFaultEndsTheProgramWithItsSignalAndTheNextCommandRuns(string mode, string before, int signal)
    {
        VmRunResult result = await Run($"/faults {mode}; /faults exit 3");

        Kernel.Line(result, $"^{before}$", out int faultAt);
        Kernel.Line(result, $"^/faults: terminated by signal {signal} \\(status {128 + signal}\\)$", out int endedAt);
        Assert.True(endedAt > faultAt, "the termination line must follow the program's last output");
        Assert.Empty(Kernel.LinesMatching(result, "still running after the fault|PANIC"));
        Kernel.ExitedWith(result, 3); // the second command ran: its status is the VM's
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task TheLastCommandsSignalStatusIsTheVmsThroughTheConsoleLine(int cpus)
    {
        VmRunResult result = await Run("/faults exit 5; /faults null", cpus);

        Kernel.Line(result, "^/faults: terminated by signal 11 \\(status 139\\)$");
        Assert.Equal("Exit status: 139", result.Lines[^1]);
        Assert.Equal((2 * ExitStatusMapping.StatusOnConsole) | 1, result.QemuExitCode);
        Kernel.ExitedWith(result, 139);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(200)]
    [InlineData(255)]
    public async Task EveryExitStatusReachesOsvRun(int status)
    {
        VmRunResult result = await Run($"/faults exit {status}");

        Assert.True(result.Outcome == VmOutcome.Exited && result.Status == status,
            $"expected status {status}, got {result.Outcome} {result.Status} (QEMU {result.QemuExitCode}):\n{result.SerialOutput}");
        Assert.Equal(status >= 126 ? 1 : 0, Kernel.LinesMatching(result, $"^Exit status: {status}$").Length);
    }

    [Theory]
    [InlineData("handler", 1)]
    [InlineData("handler-readonly", 2)]
    public async Task AProgramsSigsegvHandlerRunsWithTheFaultingAddress(string mode, int code)
    {
        VmRunResult result = await Run($"/faults {mode}");

        Kernel.Line(result, $"^handler: signal 11, code {code}, si_addr is the faulting address$");
        Assert.Empty(Kernel.LinesMatching(result, "terminated by signal|the store did not fault|PANIC"));
        Kernel.ExitedWith(result, 42); // the handler's _exit
    }

    [Fact]
    public async Task SystemCallsGivenBadPointersFailWithEfault()
    {
        VmRunResult result = await Run("/faults efault");

        Kernel.Line(result, "^bad pointers: 10 of 10 calls failed with EFAULT$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task AFaultingGlibcProgramEndsAndTheNextOneRunsAlsoWhenTheKernelsLibcGotNull()
    {
        string image = ApplicationTests.Image("faults-glibc", ("/faults", TestApps.GlibcPieDefining("faults", "FAULTS_ONLY")));

        VmRunResult result = await Kernel.BootAsync(_output, "/faults null; /faults ud2; /faults strlen-null; /faults exit 9", disks: new[] { new DiskAttachment(image) });

        Assert.Equal(2, Kernel.LinesMatching(result, "^/faults: terminated by signal 11 \\(status 139\\)$").Length);
        Kernel.Line(result, "^/faults: terminated by signal 4 \\(status 132\\)$");
        // strlen is the kernel's (musl's leaf code): NULL from the program is its SIGSEGV, and the line says where.
        Kernel.Line(result, "^signal 11: kernel code called by the program faulted at strlen\\+0x[0-9a-f]+ on address 0x0000000000000000$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC|Warning"));
        Kernel.ExitedWith(result, 9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ADeepStackGrowsFasterThanThePoolRefillsAndAnOverflowIsSigsegv(int cpus)
    {
        // ~6 MB of stack in one go: far more pages than the lazy-stack pool holds between context switches.
        VmRunResult result = await Run("/faults deep 1500; /faults overflow; /faults exit 3", cpus);

        Kernel.Line(result, "^deep stack: 1500 frames of 4000 bytes, result 1500$");
        Kernel.Line(result, "^recursing without end$", out int recursingAt);
        Kernel.Line(result, "^/faults: terminated by signal 11 \\(status 139\\)$", out int endedAt);
        Assert.True(endedAt > recursingAt);
        Assert.Empty(Kernel.LinesMatching(result, "no page left|PANIC"));
        Kernel.ExitedWith(result, 3);
    }
}
