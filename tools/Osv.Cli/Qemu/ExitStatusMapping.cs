using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Osv.Cli.Qemu;

/// <summary>
/// Turns QEMU's exit status back into the kernel's. isa-debug-exit makes QEMU exit with
/// (code &lt;&lt; 1) | 1, so an odd status carries a kernel status; 0 means QEMU stopped on its
/// own (with -no-reboot: a reset, e.g. a triple fault) and any other even status is QEMU's own
/// error. A crash must never map to success. Only kernel statuses 0..127 fit; for a program's
/// status 126..255 the kernel reports 126 and prints `Exit status: N` as its last console line,
/// which <see cref="RecoverFromConsole"/> turns back into N.
/// </summary>
public static class ExitStatusMapping
{
    public const int KernelPanicStatus = 127;
    public const int ResetWithoutStatus = 254;
    public const int TimedOutStatus = 124;

    /// <summary>The status the kernel reports when the console's last line carries the real one.</summary>
    public const int StatusOnConsole = 126;

    private static readonly Regex ConsoleStatusLine = new(@"^Exit status: (\d{3})\r?$", RegexOptions.CultureInvariant);

    public static (VmOutcome Outcome, int Status) Map(int qemuExitCode)
    {
        if (qemuExitCode == 0)
            return (VmOutcome.ResetWithoutStatus, ResetWithoutStatus);
        if ((qemuExitCode & 1) == 1 && qemuExitCode > 0)
        {
            int kernelStatus = (qemuExitCode >> 1) & 0x7f;
            return kernelStatus == KernelPanicStatus
                ? (VmOutcome.KernelPanic, KernelPanicStatus)
                : (VmOutcome.Exited, kernelStatus);
        }
        return (VmOutcome.QemuFailed, qemuExitCode);
    }

    /// <summary>
    /// The program's status when the kernel reported <see cref="StatusOnConsole"/> and its last
    /// console line is `Exit status: N` (N in 126..255); otherwise <paramref name="status"/> unchanged.
    /// </summary>
    public static int RecoverFromConsole(int status, string serialOutput)
    {
        if (status != StatusOnConsole)
            return status;
        string[] lines = serialOutput.TrimEnd('\r', '\n').Split('\n');
        Match match = ConsoleStatusLine.Match(lines[^1]);
        if (!match.Success)
            return status;
        int value = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return value >= StatusOnConsole && value <= 255 ? value : status;
    }
}
