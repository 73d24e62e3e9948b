using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Osv.Vfs.Tests.Support;

/// <summary>Runs an independent host tool (sfdisk, sgdisk, fdisk, parted) as an oracle.</summary>
internal static class ExternalTool
{
    public static bool IsInstalled(string name)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string directory in (path + ":/usr/sbin:/sbin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, name)))
                return true;
        }
        return false;
    }

    /// <summary>Runs the tool and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string Run(string name, string arguments, string? standardInput = null)
    {
        string output = RunAllowingFailure(name, arguments, standardInput, out int exitCode, out string error);
        if (exitCode != 0)
            throw new Xunit.Sdk.XunitException($"{name} {arguments} exited {exitCode}: {error}{output}");
        return output;
    }

    public static string RunAllowingFailure(string name, string arguments, string? standardInput, out int exitCode, out string standardError)
    {
        ProcessStartInfo start = new ProcessStartInfo(name, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start)!;
        if (standardInput is not null)
            process.StandardInput.Write(standardInput);
        process.StandardInput.Close();
        System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        exitCode = process.ExitCode;
        standardError = error.Result;
        return output;
    }
}

/// <summary>A fact that is reported as skipped, with the reason, when the oracle tool is not installed.</summary>
public sealed class FactRequiringToolAttribute : FactAttribute
{
    public FactRequiringToolAttribute(string tool)
    {
        if (!ExternalTool.IsInstalled(tool))
            Skip = tool + " is not installed (apt-get install fdisk gdisk parted): cross-check skipped";
    }
}
