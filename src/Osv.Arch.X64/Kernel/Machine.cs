namespace Osv.Arch.X64
{
    /// <summary>Leaving the VM: QEMU's isa-debug-exit device turns a port write into QEMU's exit status.</summary>
    public static class Machine
    {
        private const ushort DebugExitPort = 0xF4;

        /// <summary>Statuses above this do not survive QEMU's 8-bit exit code: (status &lt;&lt; 1) | 1.</summary>
        public const int LargestReportableStatus = 127;

        /// <summary>
        /// QEMU exits with (status &lt;&lt; 1) | 1. A status that does not fit is reported as 126 rather than
        /// wrapping around (200 would otherwise arrive as 72, and 128 as 0: success); a program's status
        /// goes through Osv.Core.Linux.ProgramExitStatus, which also prints it. No device: halt forever.
        /// </summary>
        public static void Exit(int status)
        {
            if (status < 0 || status > LargestReportableStatus)
                status = LargestReportableStatus - 1;
            Cpu.Out32(DebugExitPort, (uint)status);
            Cpu.HaltForever();
        }
    }
}
