using System;

namespace Osv.Cli.Qemu;

/// <summary>
/// The result of one boot: how it ended, the status `osv run` exits with (the kernel's own
/// status when it reported one), what the serial console printed and what QEMU said on stderr.
/// </summary>
public sealed record VmRunResult(
    VmOutcome Outcome,
    int Status,
    int QemuExitCode,
    string SerialOutput,
    string QemuErrors,
    TimeSpan Elapsed)
{
    /// <summary>The serial output split into lines (CR/LF line ends both accepted).</summary>
    public string[] Lines => SerialOutput.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    /// <summary>The one-line explanation `osv run` prints to stderr, or null when the kernel simply exited.</summary>
    public string? Diagnostic(TimeSpan timeout) => Outcome switch
    {
        VmOutcome.KernelPanic => "osv: kernel panic",
        VmOutcome.ResetWithoutStatus => "osv: the VM reset without reporting an exit status (triple fault?)",
        VmOutcome.TimedOut => $"osv: timed out after {timeout.TotalSeconds:0.###} s",
        VmOutcome.QemuFailed => $"osv: QEMU failed with status {QemuExitCode}" + (QemuErrors.Length > 0 ? ": " + QemuErrors.Trim() : ""),
        _ => null,
    };
}
