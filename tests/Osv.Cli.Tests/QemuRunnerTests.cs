using System;
using System.IO;
using System.Linq;
using Osv.Cli.Infrastructure;
using Osv.Cli.Qemu;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

/// <summary>QemuRunner against the test kernel, which exits as its command line says.</summary>
public sealed class QemuRunnerTests
{
    private static QemuOptions Options(string commandLine) =>
        new(TestKernel.Shared.Image) { CommandLine = commandLine, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public void BuildsTheDocumentedQemuCommandLine()
    {
        var options = new QemuOptions("build/x64/loader.elf") { CommandLine = "--help", Memory = "64M", Cpus = 2, Machine = "microvm" };

        Assert.Equal(
            "-machine microvm -cpu max -m 64M -smp 2 -kernel build/x64/loader.elf -append --help -nodefaults -display none " +
            "-monitor none -net none -no-reboot -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04",
            string.Join(' ', QemuRunner.BuildArguments(options, useKvm: false)));
        Assert.Equal(new[] { "-accel", "kvm" }, QemuRunner.BuildArguments(options, useKvm: true).TakeLast(2));
    }

    [Fact]
    public void EachDiskIsADriveAndAVirtioBlockPciDevice()
    {
        var options = new QemuOptions("loader.elf")
        {
            Disks = new[] { new DiskAttachment("/tmp/a.img"), new DiskAttachment("/tmp/b,c.img", Legacy: true) },
        };

        string arguments = string.Join(' ', QemuRunner.BuildArguments(options, useKvm: false));

        Assert.EndsWith(
            "-drive file=/tmp/a.img,if=none,id=d0,format=raw -device virtio-blk-pci,drive=d0 " +
            "-drive file=/tmp/b,,c.img,if=none,id=d1,format=raw -device virtio-blk-pci,drive=d1,disable-modern=on",
            arguments);
    }

    [Fact]
    public void KernelExitStatusComesBackAndSerialOutputIsCaptured()
    {
        var live = new MemoryStream();
        VmRunResult result = new QemuRunner().Run(Options("exit=5"), live);

        Assert.Equal(VmOutcome.Exited, result.Outcome);
        Assert.Equal(5, result.Status);
        Assert.Equal(11, result.QemuExitCode);
        Assert.Equal("test kernel cmdline: exit=5", result.Lines[0]);
        Assert.Equal(result.SerialOutput, System.Text.Encoding.UTF8.GetString(live.ToArray()));
    }

    [Fact]
    public void ExitStatusZeroIsSuccess()
    {
        VmRunResult result = new QemuRunner().Run(Options("exit=0"));

        Assert.Equal((VmOutcome.Exited, 0), (result.Outcome, result.Status));
    }

    [Fact]
    public void Status127IsAKernelPanic()
    {
        VmRunResult result = new QemuRunner().Run(Options("exit=127"));

        Assert.Equal((VmOutcome.KernelPanic, 127), (result.Outcome, result.Status));
    }

    [Fact]
    public void ATripleFaultNeverLooksLikeSuccess()
    {
        VmRunResult result = new QemuRunner().Run(Options("triple"));

        Assert.Equal((VmOutcome.ResetWithoutStatus, 254), (result.Outcome, result.Status));
        Assert.Equal(0, result.QemuExitCode);
        Assert.Contains("cmdline: triple", result.SerialOutput);
    }

    [Fact]
    public void AHungVmIsKilledAtTheTimeout()
    {
        VmRunResult result = new QemuRunner().Run(Options("hang") with { Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal((VmOutcome.TimedOut, 124), (result.Outcome, result.Status));
        Assert.Contains("cmdline: hang", result.SerialOutput);
        Assert.InRange(result.Elapsed.TotalSeconds, 1, 20);
    }

    [Fact]
    public void BootsOnMicrovmWithTwoCpusAnd32M()
    {
        VmRunResult result = new QemuRunner().Run(Options("exit=3") with { Machine = "microvm", Cpus = 2, Memory = "32M" });

        Assert.Equal((VmOutcome.Exited, 3), (result.Outcome, result.Status));
    }

    [Fact]
    public void AnImageQemuCannotLoadIsAQemuFailureNotSuccess()
    {
        using var temp = new TempDirectory();
        string notAKernel = temp.Combine("garbage.elf");
        File.WriteAllText(notAKernel, "garbage");

        VmRunResult result = new QemuRunner().Run(new QemuOptions(notAKernel));

        Assert.Equal(VmOutcome.QemuFailed, result.Outcome);
        Assert.NotEqual(0, result.Status);
        Assert.NotEmpty(result.QemuErrors);
    }

    [Fact]
    public void AMissingImageSaysToBuildFirst()
    {
        var error = Assert.Throws<OsvException>(() => new QemuRunner().Run(new QemuOptions("/nonexistent/loader.elf")));

        Assert.Contains("run ./osv build first", error.Message);
    }
}
