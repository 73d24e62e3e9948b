using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Qemu;

/// <summary>
/// Boots a kernel image in QEMU with the serial console on stdout, streams that output live
/// (optionally) while capturing it, enforces a timeout and maps QEMU's exit status back to the
/// kernel's (<see cref="ExitStatusMapping"/>). Used by `osv run` and, in-process, by the
/// integration tests.
/// </summary>
public sealed class QemuRunner
{
    public const string QemuProgram = "qemu-system-x86_64";

    /// <summary>QEMU's command line for <paramref name="options"/> (program name excluded).</summary>
    public static IReadOnlyList<string> BuildArguments(QemuOptions options, bool useKvm)
    {
        var arguments = new List<string>
        {
            "-machine", options.Machine,
            "-cpu", "max",
            "-m", options.Memory,
            "-smp", options.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-kernel", options.KernelImage,
            "-append", options.CommandLine,
            "-nodefaults",
            "-display", "none",
            "-monitor", "none",
            "-net", "none",
            "-no-reboot",
            "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        };
        for (int i = 0; i < options.Disks.Count; i++)
            arguments.AddRange(options.Disks[i].QemuArguments(i));
        if (options.InstructionCountShift is int shift)
            arguments.AddRange(new[] { "-icount", $"shift={shift.ToString(System.Globalization.CultureInfo.InvariantCulture)},sleep=off" });
        else if (useKvm)
            arguments.AddRange(new[] { "-accel", "kvm" });
        return arguments;
    }

    /// <param name="liveOutput">Receives the serial console as it arrives (e.g. our stdout), or null.</param>
    /// <param name="liveErrors">Receives QEMU's stderr as it arrives, or null.</param>
    public async Task<VmRunResult> RunAsync(
        QemuOptions options,
        Stream? liveOutput = null,
        Stream? liveErrors = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(options.KernelImage))
            throw new OsvException($"kernel image {options.KernelImage} does not exist; run ./osv build first");

        bool useKvm = KvmProbe.IsUsable(options.Machine);
        var startInfo = new ProcessStartInfo(QemuProgram)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in BuildArguments(options, useKvm))
            startInfo.ArgumentList.Add(argument);

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception error)
        {
            throw new OsvException($"cannot start {QemuProgram}: {error.Message} (./osv installs the Debian package qemu-system-x86)");
        }
        // The VM gets no input: an immediately closed stdin, like </dev/null.
        process.StandardInput.Close();

        Task<string> serial = PumpAsync(process.StandardOutput.BaseStream, liveOutput);
        Task<string> errors = PumpAsync(process.StandardError.BaseStream, liveErrors);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }

        string serialOutput = await serial.ConfigureAwait(false);
        string qemuErrors = await errors.ConfigureAwait(false);
        stopwatch.Stop();

        if (timedOut)
            return new VmRunResult(VmOutcome.TimedOut, ExitStatusMapping.TimedOutStatus, process.ExitCode, serialOutput, qemuErrors, stopwatch.Elapsed);

        (VmOutcome outcome, int status) = ExitStatusMapping.Map(process.ExitCode);
        // QEMU's own start-up errors also exit with 1, which would read as "kernel exited 0";
        // QEMU says so on stderr, the kernel never does.
        if (outcome == VmOutcome.Exited && process.ExitCode == 1 && HasQemuError(qemuErrors))
            (outcome, status) = (VmOutcome.QemuFailed, 1);
        if (outcome == VmOutcome.Exited)
            status = ExitStatusMapping.RecoverFromConsole(status, serialOutput);
        return new VmRunResult(outcome, status, process.ExitCode, serialOutput, qemuErrors, stopwatch.Elapsed);
    }

    public VmRunResult Run(QemuOptions options, Stream? liveOutput = null, Stream? liveErrors = null) =>
        RunAsync(options, liveOutput, liveErrors).GetAwaiter().GetResult();

    private static bool HasQemuError(string qemuErrors) =>
        qemuErrors.Split('\n').Any(line => line.Trim().Length > 0 && !line.Contains("warning:", StringComparison.Ordinal));

    private static async Task<string> PumpAsync(Stream source, Stream? live)
    {
        var captured = new StringBuilder();
        Decoder decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        var bytes = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await source.ReadAsync(bytes).ConfigureAwait(false)) > 0)
        {
            if (live != null)
            {
                try
                {
                    await live.WriteAsync(bytes.AsMemory(0, read)).ConfigureAwait(false);
                    await live.FlushAsync().ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The reader went away (e.g. `osv run | head`): keep capturing, stop forwarding.
                    live = null;
                }
            }
            int count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            captured.Append(chars, 0, count);
        }
        int rest = decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
        captured.Append(chars, 0, rest);
        return captured.ToString();
    }
}
