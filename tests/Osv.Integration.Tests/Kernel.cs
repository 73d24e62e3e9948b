using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Osv.Cli.Infrastructure;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>Boots the kernel image that `./osv build` made (or the test image of `./osv build --tests`), in-process through QemuRunner.</summary>
public static class Kernel
{
    // $OSV_REPO_ROOT when `osv test` runs us (or to point the tests at another tree), else the
    // repository these tests were built in.
    private static readonly Lazy<string> RepositoryRoot = new(() =>
        Environment.GetEnvironmentVariable(RepositoryLayout.RootEnvironmentVariable) is { Length: > 0 } root
            ? root
            : RepositoryLayout.FindUpwards(AppContext.BaseDirectory, "Osv.sln")
              ?? throw new InvalidOperationException($"no Osv.sln above {AppContext.BaseDirectory}"));

    public static RepositoryLayout Layout => new(RepositoryRoot.Value);

    /// <summary>The test image: in-kernel suites, --selftest, --bench, run-time stack-rule checks.</summary>
    public static RepositoryLayout TestLayout => new(RepositoryRoot.Value, testImage: true);

    /// <summary>A boot that takes longer than this under TCG on two cores has hung.</summary>
    public static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(60);

    public static async Task<VmRunResult> BootAsync(ITestOutputHelper output, string commandLine, string machine = "q35", string memory = "128M", int cpus = 1, bool testImage = false, int? instructionCountShift = null, DiskAttachment[]? disks = null)
    {
        string image = (testImage ? TestLayout : Layout).Image;
        Assert.True(File.Exists(image), $"{image} not found: run ./osv build{(testImage ? " --tests" : "")} first");

        var options = new QemuOptions(image)
        {
            CommandLine = commandLine,
            Machine = machine,
            Memory = memory,
            Cpus = cpus,
            Timeout = BootTimeout,
            InstructionCountShift = instructionCountShift,
            Disks = disks ?? Array.Empty<DiskAttachment>(),
        };
        VmRunResult result = await new QemuRunner().RunAsync(options);
        string diskOptions = string.Concat(options.Disks.Select(disk => $" --disk{(disk.Legacy ? "-legacy" : "")} {disk.Path}"));
        output.WriteLine($"$ osv run{(testImage ? " --tests" : "")} --machine {machine} --memory {memory} --cpus {cpus}{diskOptions} -e \"{commandLine}\"");
        output.WriteLine(result.SerialOutput);
        output.WriteLine($"[{result.Outcome}, status {result.Status}, QEMU status {result.QemuExitCode}, {result.Elapsed.TotalSeconds:0.00} s]");
        if (result.QemuErrors.Length > 0)
            output.WriteLine("QEMU stderr: " + result.QemuErrors);
        return result;
    }

    /// <summary>The first console line that matches <paramref name="pattern"/>; fails with the whole console otherwise.</summary>
    public static Match Line(VmRunResult result, string pattern) => Line(result, pattern, out _);

    public static Match Line(VmRunResult result, string pattern, out int index)
    {
        string[] lines = result.Lines;
        for (index = 0; index < lines.Length; index++)
        {
            Match match = Regex.Match(lines[index], pattern);
            if (match.Success)
                return match;
        }
        Assert.Fail($"no console line matches /{pattern}/ in:\n{result.SerialOutput}");
        throw new InvalidOperationException("unreachable");
    }

    public static void ExitedWith(VmRunResult result, int status)
    {
        var expected = status == ExitStatusMapping.KernelPanicStatus ? VmOutcome.KernelPanic : VmOutcome.Exited;
        Assert.True(result.Outcome == expected && result.Status == status,
            $"expected kernel status {status}, got {result.Outcome} with status {result.Status} (QEMU {result.QemuExitCode}); console:\n{result.SerialOutput}");
    }

    /// <summary>
    /// The program (not the kernel) ended with <paramref name="status"/>: for 126..255 the VM reports 126 and the
    /// console's last line carries it, so a program's 127 is told apart from a kernel panic's.
    /// </summary>
    public static void ProgramExitedWith(VmRunResult result, int status)
    {
        Assert.True(result.Outcome == VmOutcome.Exited && result.Status == status,
            $"expected the program's status {status}, got {result.Outcome} with status {result.Status} (QEMU {result.QemuExitCode}); console:\n{result.SerialOutput}");
    }

    public static string[] LinesMatching(VmRunResult result, string pattern) =>
        result.Lines.Where(line => Regex.IsMatch(line, pattern)).ToArray();
}
