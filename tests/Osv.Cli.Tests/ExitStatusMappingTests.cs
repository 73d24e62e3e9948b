using Osv.Cli.Qemu;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class ExitStatusMappingTests
{
    [Theory]
    [InlineData(1, VmOutcome.Exited, 0)]
    [InlineData(3, VmOutcome.Exited, 1)]
    [InlineData(11, VmOutcome.Exited, 5)]
    [InlineData(253, VmOutcome.Exited, 126)]
    [InlineData(255, VmOutcome.KernelPanic, 127)]
    [InlineData(0, VmOutcome.ResetWithoutStatus, 254)]
    [InlineData(2, VmOutcome.QemuFailed, 2)]
    [InlineData(134, VmOutcome.QemuFailed, 134)]
    public void MapsQemuStatusToKernelStatus(int qemuStatus, VmOutcome outcome, int status)
    {
        Assert.Equal((outcome, status), ExitStatusMapping.Map(qemuStatus));
    }

    [Theory]
    [InlineData(126, "Booted\nExit status: 139\n", 139)]
    [InlineData(126, "Exit status: 255\r\n", 255)]
    [InlineData(126, "Exit status: 126\n", 126)]
    [InlineData(126, "Exit status: 139\nlater output\n", 126)] // only the last line counts
    [InlineData(126, "Exit status: 300\n", 126)]
    [InlineData(126, "no status line\n", 126)]
    [InlineData(3, "Exit status: 139\n", 3)] // the line matters only with the code that points to it
    public void RecoversStatusesAbove125FromTheConsole(int status, string console, int expected)
    {
        Assert.Equal(expected, ExitStatusMapping.RecoverFromConsole(status, console));
    }

    [Fact]
    public void DiagnosticsSayWhatHappened()
    {
        VmRunResult Result(VmOutcome outcome, int qemuExitCode = 0, string errors = "") =>
            new(outcome, 0, qemuExitCode, "", errors, System.TimeSpan.Zero);
        var timeout = System.TimeSpan.FromSeconds(7);

        Assert.Null(Result(VmOutcome.Exited).Diagnostic(timeout));
        Assert.Equal("osv: kernel panic", Result(VmOutcome.KernelPanic).Diagnostic(timeout));
        Assert.Equal("osv: the VM reset without reporting an exit status (triple fault?)", Result(VmOutcome.ResetWithoutStatus).Diagnostic(timeout));
        Assert.Equal("osv: timed out after 7 s", Result(VmOutcome.TimedOut).Diagnostic(timeout));
        Assert.Equal("osv: QEMU failed with status 1: qemu: bad", Result(VmOutcome.QemuFailed, 1, "qemu: bad\n").Diagnostic(timeout));
    }
}
