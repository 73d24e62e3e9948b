using Osv.Arch.X64;
using Osv.Core.Console;

namespace Osv.Core.Linux
{
    /// <summary>
    /// Ends the VM with a program's exit status (0..255). QEMU's isa-debug-exit makes QEMU exit with
    /// (code &lt;&lt; 1) | 1 and a host exit status has 8 bits, so only codes 0..127 survive, and 127
    /// means a kernel panic. Statuses 0..125 go through as they are; 126..255 (128+signal among them)
    /// are written on the console as the last line, `Exit status: N`, and the VM reports 126, which
    /// `osv run` turns back into N when that line is there.
    /// </summary>
    public static class ProgramExitStatus
    {
        /// <summary>The code the VM reports when the console line carries the status.</summary>
        public const int OnConsole = 126;

        public static void ExitVm(int status)
        {
            status &= 0xFF;
            if (status < OnConsole)
                Machine.Exit(status);
            KernelConsole.Write("Exit status: ");
            KernelConsole.WriteDecimal((ulong)status);
            KernelConsole.WriteLine();
            Machine.Exit(OnConsole);
        }
    }
}
