namespace Osv.Arch.X64.Time
{
    /// <summary>
    /// Time since boot from the TSC, calibrated against the PIT (a fixed 1.193182 MHz reference).
    /// The boot code's first instruction after entry reads the TSC, so uptime covers the whole boot.
    /// </summary>
    public static class TscClock
    {
        private const uint PitFrequency = 1193182;
        private const ushort PitChannel2 = 0x42;
        private const ushort PitCommand = 0x43;
        private const ushort PitGatePort = 0x61;
        private const uint CalibrationMicroseconds = 10000;

        private static ulong s_bootTsc;
        private static ulong s_ticksPerSecond;

        public static ulong TicksPerSecond => s_ticksPerSecond;
        public static ulong BootTimestamp => s_bootTsc;
        public static bool IsCalibrated => s_ticksPerSecond != 0;

        /// <summary>Returns false when no PIT answered (the clock then stays uncalibrated).</summary>
        public static bool Calibrate(ulong bootTsc)
        {
            s_bootTsc = bootTsc;
            ushort count = (ushort)(PitFrequency * (ulong)CalibrationMicroseconds / 1000000);

            // Channel 2, lobyte/hibyte, mode 0 (terminal count raises OUT2); gate low, speaker off.
            Cpu.Out8(PitGatePort, (byte)(Cpu.In8(PitGatePort) & 0xFC));
            Cpu.Out8(PitCommand, 0xB0);
            Cpu.Out8(PitChannel2, (byte)count);
            Cpu.Out8(PitChannel2, (byte)(count >> 8));

            byte gate = (byte)((Cpu.In8(PitGatePort) & 0xFC) | 1);
            Cpu.Out8(PitGatePort, gate);
            ulong start = Cpu.ReadTimestampCounter();
            // Bounded: without a PIT, bit 5 never rises; give up after ~1 s worth of polling.
            for (int polls = 0; polls < 50000000; polls++)
            {
                if ((Cpu.In8(PitGatePort) & 0x20) != 0)
                {
                    ulong end = Cpu.ReadTimestampCounter();
                    s_ticksPerSecond = (end - start) * 1000000 / CalibrationMicroseconds;
                    return s_ticksPerSecond != 0;
                }
            }
            return false;
        }

        public static ulong TicksToNanoseconds(ulong ticks)
        {
            if (s_ticksPerSecond == 0)
                return 0;
            // Split to avoid overflow of ticks * 1e9.
            ulong seconds = ticks / s_ticksPerSecond;
            ulong remainder = ticks % s_ticksPerSecond;
            return seconds * 1000000000UL + remainder * 1000000000UL / s_ticksPerSecond;
        }

        public static ulong NanosecondsSinceBoot => TicksToNanoseconds(Cpu.ReadTimestampCounter() - s_bootTsc);

        public static void SpinNanoseconds(ulong nanoseconds)
        {
            ulong deadline = NanosecondsSinceBoot + nanoseconds;
            while (NanosecondsSinceBoot < deadline)
                Cpu.Pause();
        }
    }
}
