using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Text;

namespace Osv.Cli.Infrastructure;

/// <summary>What an external command did: its exit status and its stdout and stderr interleaved.</summary>
public sealed record CommandResult(int ExitCode, string Output);

/// <summary>Runs build tools (dotnet, nasm, ld, gcc, nm) to completion, capturing their output.</summary>
public static class ExternalCommand
{
    public static CommandResult Run(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            startInfo.ArgumentList.Add(argument);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception error)
        {
            throw new OsvException($"cannot run '{program}': {error.Message} (is it installed? ./osv installs the build tools)");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();

        lock (output)
            return new CommandResult(process.ExitCode, output.ToString());
    }

    /// <summary>Runs the command and throws, with its output, if it fails.</summary>
    public static string RunChecked(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var argumentList = arguments.ToList();
        CommandResult result = Run(program, argumentList, workingDirectory);
        if (result.ExitCode != 0)
        {
            throw new OsvException(
                $"'{Describe(program, argumentList)}' failed with status {result.ExitCode}",
                details: result.Output);
        }
        return result.Output;
    }

    /// <summary>A command line as a person would type it, for messages.</summary>
    public static string Describe(string program, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { program }.Concat(arguments).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";

    private static void Append(StringBuilder output, string? line)
    {
        if (line == null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}
