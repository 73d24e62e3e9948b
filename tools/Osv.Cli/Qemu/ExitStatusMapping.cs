namespace Osv.Cli.Qemu;

/// <summary>
/// Turns QEMU's exit status back into the kernel's. isa-debug-exit makes QEMU exit with
/// (code &lt;&lt; 1) | 1, so an odd status carries a kernel status; 0 means QEMU stopped on its
/// own (with -no-reboot: a reset, e.g. a triple fault) and any other even status is QEMU's own
/// error. A crash must never map to success.
/// </summary>
public static class ExitStatusMapping
{
    public const int KernelPanicStatus = 127;
    public const int ResetWithoutStatus = 254;
    public const int TimedOutStatus = 124;

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
}
