namespace Osv.Arch.X64
{
    /// <summary>Leaving the VM: QEMU's isa-debug-exit device turns a port write into QEMU's exit status.</summary>
    public static class Machine
    {
        private const ushort DebugExitPort = 0xF4;

        /// <summary>QEMU exits with (status &lt;&lt; 1) | 1. If no device is there, halt forever.</summary>
        public static void Exit(int status)
        {
            Cpu.Out32(DebugExitPort, (uint)status);
            Cpu.HaltForever();
        }
    }
}
