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

        /// <summary>
        /// Measures the TSC against PIT channel 0 counting down in rate-generator mode (channel 2 needs
        /// port 0x61, which microvm lacks). Returns false when no PIT counts (the clock stays uncalibrated).
        /// </summary>
        public static bool Calibrate(ulong bootTsc)
        {
            s_bootTsc = bootTsc;
            for (int attempt = 0; attempt < 8; attempt++)
            {
                MeasureResult result = Measure(out ulong ticksPerSecond);
                if (result == MeasureResult.NoPit)
                    return false;
                if (result == MeasureResult.Measured)
                {
                    s_ticksPerSecond = ticksPerSecond;
                    return true;
                }
            }
            return false;
        }

        private enum MeasureResult
        {
            Measured,
            NoPit,
            Disturbed,
        }

        private static MeasureResult Measure(out ulong ticksPerSecond)
        {
            ticksPerSecond = 0;
            // Channel 0, lobyte/hibyte, mode 2, reload 0 (= 65536). IRQ 0 stays masked.
            Cpu.Out8(PitCommand, 0x34);
            Cpu.Out8(PitChannel0, 0);
            Cpu.Out8(PitChannel0, 0);

            // Until the new count is loaded, a read may return the firmware's old count: the window
            // opens only at the first small decrement. After that, a large step is real time passing
            // (QEMU descheduled: TSC and PIT both follow the host clock), unless it is so large the
            // 16-bit counter may have wrapped: then the measurement restarts.
            ushort previous = ReadPitCount();
            ulong start = 0;
            bool started = false;
            uint elapsed = 0;
            int unchangedPolls = 0;
            while (!started || elapsed < CalibrationPitTicks)
            {
                ushort current = ReadPitCount();
                ulong now = Cpu.ReadTimestampCounter();
                if (current == previous)
                {
                    // A missing PIT reads as a constant: give up rather than spin forever.
                    if (++unchangedPolls > 1000000)
                        return MeasureResult.NoPit;
                    continue;
                }
                unchangedPolls = 0;
                ushort step = (ushort)(previous - current);
                previous = current;
                if (!started)
                {
                    started = step <= MaxStartingStep;
                    start = now;
                    continue;
                }
                if (step > MaxStep)
                    return MeasureResult.Disturbed;
                elapsed += step;
            }
            ulong end = Cpu.ReadTimestampCounter();
            ticksPerSecond = (end - start) * PitFrequency / elapsed;
            return ticksPerSecond != 0 ? MeasureResult.Measured : MeasureResult.Disturbed;
        }

        /// <summary>About 1.7 ms of PIT ticks: a first step larger than this is a stale count, not time.</summary>
        private const uint MaxStartingStep = 2048;

        /// <summary>Half the counter's range (27 ms): a larger step may hide a wrap-around.</summary>
        private const uint MaxStep = 32768;

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
