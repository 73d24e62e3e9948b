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
        (int status, string stdout, string stderr) = await RunOsvAsync("run", "--no-build", "-e", "--help");

        Assert.True(status == 0, $"./osv run exited with {status}:\n{stdout}\n{stderr}");
        Assert.Contains("Cmdline: --help", stdout);
        Assert.Contains("--bootchart", stdout);
    }

    [Fact]
    public async Task OsvRunWithoutArgumentsRunsTheDefaultHelloApplication()
    {
        (int status, string stdout, string stderr) = await RunOsvAsync("run", "--no-build");

        Assert.True(status == 0, $"./osv run exited with {status}:\n{stdout}\n{stderr}");
        Assert.Contains("Cmdline: /hello", stdout);
        Assert.Contains("Hello from /hello: 0 arguments", stdout);
        Assert.Contains("integers -42 1234567890123 4000000000, doubles 3.142 0.5 6.020000e+23", stdout);
    }

    private async Task<(int Status, string Stdout, string Stderr)> RunOsvAsync(params string[] arguments)
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
        foreach (string argument in arguments)
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
        return (process.ExitCode, stdout, stderr);
    }
}
