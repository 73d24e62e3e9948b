using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Tests.Support;

/// <summary>Runs the built `osv` CLI (Osv.Cli.dll next to the tests) as a separate process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string repositoryRoot, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Osv.Cli.dll"));
        foreach (string argument in arguments)
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment[RepositoryLayout.RootEnvironmentVariable] = repositoryRoot;

        using Process process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"osv {string.Join(' ', (IEnumerable<string>)arguments)} did not finish in 2 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
