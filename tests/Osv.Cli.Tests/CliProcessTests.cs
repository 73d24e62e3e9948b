using System.IO;
using Osv.Cli.Infrastructure;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

/// <summary>The `osv` verbs end to end, as separate processes, on the test kernel's repository.</summary>
public sealed class CliProcessTests
{
    private static string Root => TestKernel.Shared.Layout.Root;

    [Fact]
    public void RunExitsWithTheKernelsStatusAndStreamsTheConsole()
    {
        CliProcess.Result result = CliProcess.Run(Root, "run", "--no-build", "-e", "exit=7");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("test kernel cmdline: exit=7\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void RunReportsAKernelPanic()
    {
        CliProcess.Result result = CliProcess.Run(Root, "run", "--no-build", "-e", "exit=127");

        Assert.Equal(127, result.ExitCode);
        Assert.Equal("osv: kernel panic\n", result.Stderr);
    }

    [Fact]
    public void RunReportsAResetWithoutStatus()
    {
        CliProcess.Result result = CliProcess.Run(Root, "run", "--no-build", "-e", "triple");

        Assert.Equal(254, result.ExitCode);
        Assert.Equal("osv: the VM reset without reporting an exit status (triple fault?)\n", result.Stderr);
    }

    [Fact]
    public void RunReportsATimeout()
    {
        CliProcess.Result result = CliProcess.Run(Root, "run", "--no-build", "--timeout", "1", "-e", "hang");

        Assert.Equal(124, result.ExitCode);
        Assert.Equal("osv: timed out after 1 s\n", result.Stderr);
    }

    [Fact]
    public void ABadOptionIsNamedWithTheUsage()
    {
        CliProcess.Result result = CliProcess.Run(Root, "run", "--cpus", "many");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("osv: option --cpus: 'many' is not a CPU count", result.Stderr);
        Assert.Contains("usage: osv run", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void HelpAndUnknownVerbs()
    {
        CliProcess.Result help = CliProcess.Run(Root, "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("usage: osv <verb>", help.Stdout);

        CliProcess.Result runHelp = CliProcess.Run(Root, "run", "--help");
        Assert.Equal(0, runHelp.ExitCode);
        Assert.Contains("--machine TYPE", runHelp.Stdout);

        CliProcess.Result unknown = CliProcess.Run(Root, "frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("osv: unknown verb 'frobnicate'", unknown.Stderr);

        Assert.Equal(2, CliProcess.Run(Root).ExitCode);
    }

    [Fact]
    public void RunWithoutAnImageSaysToBuildFirst()
    {
        using var temp = new TempDirectory();

        CliProcess.Result result = CliProcess.Run(temp.Path, "run", "--no-build");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("osv: build/x64/loader.elf does not exist; run ./osv build first\n", result.Stderr);
    }

    [Fact]
    public void BuildRunsTheKernelProjectThenAssemblesAndLinks()
    {
        RepositoryLayout layout = TestKernel.CreateRepository(TestKernel.LinkerScriptFile);
        File.Delete(layout.KernelObject);
        // Stands in for the real kernel project: its Build target writes build/x64/obj/kernel.o.
        File.Copy(Path.Combine(TestKernel.SourceDirectory, "kernel.c"), Path.Combine(layout.Root, "src", "Osv.Kernel", "kernel.c"));
        File.WriteAllText(layout.KernelProject,
            "<Project DefaultTargets=\"Build\">\n" +
            "  <Target Name=\"Restore\" />\n" +
            "  <Target Name=\"Build\">\n" +
            "    <Error Condition=\"'$(KernelFlavor)' != 'true' or '$(Configuration)' != 'Release'\" Text=\"expected -c Release -p:KernelFlavor=true\" />\n" +
            "    <Exec Command=\"gcc -O0 -ffreestanding -fno-pic -fno-asynchronous-unwind-tables -c -o ../../build/x64/obj/kernel.o kernel.c\" />\n" +
            "  </Target>\n" +
            "</Project>\n");

        CliProcess.Result build = CliProcess.Run(layout.Root, "build");

        Assert.True(build.ExitCode == 0, build.Stdout + build.Stderr);
        string[] lines = build.Stdout.TrimEnd().Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal("osv build: compiling the kernel (src/Osv.Kernel/Osv.Kernel.csproj)", lines[0]);
        Assert.Matches(@"^osv build: build/x64/loader\.elf is \d+ bytes$", lines[5]);
        Assert.Equal($"osv build: build/x64/loader.elf is {new FileInfo(layout.Image).Length} bytes", lines[5]);

        // The image is newer than src/, so `osv run` boots it without building again.
        CliProcess.Result run = CliProcess.Run(layout.Root, "run", "-e", "exit=4");
        Assert.Equal(4, run.ExitCode);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void AFailingKernelProjectFailsTheBuildWithItsOutput()
    {
        RepositoryLayout layout = TestKernel.CreateRepository(TestKernel.LinkerScriptFile);
        File.WriteAllText(layout.KernelProject,
            "<Project DefaultTargets=\"Build\"><Target Name=\"Restore\" /><Target Name=\"Build\"><Error Text=\"ILC exploded\" /></Target></Project>\n");

        CliProcess.Result build = CliProcess.Run(layout.Root, "build");

        Assert.Equal(1, build.ExitCode);
        Assert.Contains("osv: 'dotnet build src/Osv.Kernel/Osv.Kernel.csproj -c Release -p:KernelFlavor=true -p:OsvTestImage=false -nologo -v:q' failed", build.Stderr);
        Assert.Contains("ILC exploded", build.Stderr);
    }
}
