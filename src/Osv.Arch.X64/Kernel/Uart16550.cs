namespace Osv.Arch.X64
{
    /// <summary>The COM1 16550 UART: the kernel console (polled output, no interrupts).</summary>
    public static class Uart16550
    {
        private const ushort Base = 0x3F8;
        private const ushort LineStatus = Base + 5;
        private const byte TransmitHoldingEmpty = 0x20;

        public static void Initialize()
        {
            Cpu.Out8(Base + 1, 0x00); // no interrupts
            Cpu.Out8(Base + 3, 0x80); // DLAB to set the divisor
            Cpu.Out8(Base + 0, 0x01); // 115200 baud
            Cpu.Out8(Base + 1, 0x00);
            Cpu.Out8(Base + 3, 0x03); // 8N1
            Cpu.Out8(Base + 2, 0xC7); // FIFO on, cleared
            Cpu.Out8(Base + 4, 0x03); // DTR, RTS
        }

        public static void Write(byte value)
        {
            // QEMU's UART is always ready; a real one may not be. Bound the wait so a dead UART cannot hang us.
            for (int spin = 0; spin < 100000 && (Cpu.In8(LineStatus) & TransmitHoldingEmpty) == 0; spin++)
                Cpu.Pause();
            Cpu.Out8(Base, value);
        }
    }
}
