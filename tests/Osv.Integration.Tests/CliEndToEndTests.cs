using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>The real `./osv run` front door, as a user would call it.</summary>
public sealed class CliEndToEndTests
{
    private readonly ITestOutputHelper _output;

    public CliEndToEndTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task OsvRunBootsTheKernelAndReturnsItsStatus()
    {
        string root = Kernel.Layout.Root;
        Assert.True(File.Exists(Kernel.Layout.Image), $"{Kernel.Layout.Image} not found: run ./osv build first");
        var startInfo = new ProcessStartInfo(Path.Combine(root, "osv"))
        {
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "run", "--no-build", "-e", "--help" })
            startInfo.ArgumentList.Add(argument);

        using Process process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        Task<string> stdoutTask = process.StandardOutput.ReadToEndAsync();
        Task<string> stderrTask = process.StandardError.ReadToEndAsync();
        // Generous: ./osv may first rebuild the CLI.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("./osv run did not finish in 3 minutes");
        }
        string stdout = await stdoutTask;
        string stderr = await stderrTask;
        _output.WriteLine(stdout);
        _output.WriteLine(stderr);

        Assert.True(process.ExitCode == 0, $"./osv run exited with {process.ExitCode}:\n{stdout}\n{stderr}");
        Assert.Contains("Cmdline: --help", stdout);
        Assert.Contains("--bootchart", stdout);
    }
}
