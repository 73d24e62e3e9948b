namespace Osv.Arch.X64.Time
{
    /// <summary>
    /// Time since boot from the TSC, calibrated against the PIT (a fixed 1.193182 MHz reference).
    /// The boot code's first instruction after entry reads the TSC, so uptime covers the whole boot.
    /// </summary>
    public static class TscClock
    {
        private const uint PitFrequency = 1193182;
        private const ushort PitChannel0 = 0x40;
        private const ushort PitCommand = 0x43;
        private const uint CalibrationPitTicks = PitFrequency / 500; // 2 ms: ~0.05% error from the PIT read granularity

        private static ulong s_bootTsc;
        private static ulong s_ticksPerSecond;

        public static ulong TicksPerSecond => s_ticksPerSecond;
        public static ulong BootTimestamp => s_bootTsc;
        public static bool IsCalibrated => s_ticksPerSecond != 0;

        /// <summary>
        /// Measures the TSC against PIT channel 0 counting down in rate-generator mode (channel 2 needs
        /// port 0x61, which microvm lacks). Returns false when no PIT counts (the clock stays uncalibrated).
        /// </summary>
        public static bool Calibrate(ulong bootTsc)
        {
            s_bootTsc = bootTsc;
            // Channel 0, lobyte/hibyte, mode 2, reload 0 (= 65536). IRQ 0 stays masked.
            Cpu.Out8(PitCommand, 0x34);
            Cpu.Out8(PitChannel0, 0);
            Cpu.Out8(PitChannel0, 0);

            ushort first = ReadPitCount();
            ulong start = Cpu.ReadTimestampCounter();
            uint elapsed = 0;
            ushort previous = first;
            int unchangedPolls = 0;
            while (elapsed < CalibrationPitTicks)
            {
                ushort current = ReadPitCount();
                if (current == previous)
                {
                    // A missing PIT reads as a constant: give up rather than spin forever.
                    if (++unchangedPolls > 1000000)
                        return false;
                    continue;
                }
                unchangedPolls = 0;
                elapsed += (ushort)(previous - current);
                previous = current;
            }
            ulong end = Cpu.ReadTimestampCounter();
            s_ticksPerSecond = (end - start) * PitFrequency / elapsed;
            return s_ticksPerSecond != 0;
        }

        private static ushort ReadPitCount()
        {
            Cpu.Out8(PitCommand, 0x00); // latch channel 0
            byte low = Cpu.In8(PitChannel0);
            byte high = Cpu.In8(PitChannel0);
            return (ushort)(low | (high << 8));
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
