namespace Osv.Arch.X64.Time
{
    /// <summary>
    /// The PC's battery-backed real-time clock (CMOS, ports 0x70/0x71): read once at boot for the wall
    /// clock; the TSC keeps time from there. Machines without it (microvm by default) read as absent.
    /// </summary>
    public static class CmosClock
    {
        private const ushort IndexPort = 0x70;
        private const ushort DataPort = 0x71;

        /// <summary>Seconds since 1970-01-01 UTC, or 0 when there is no readable clock.</summary>
        public static ulong ReadUnixSeconds()
        {
            // Read until two passes agree, so an update between the registers cannot tear the time.
            for (int attempt = 0; attempt < 5; attempt++)
            {
                WaitWhileUpdating();
                ulong first = ReadOnce();
                WaitWhileUpdating();
                if (ReadOnce() == first)
                    return first;
            }
            return 0;
        }

        private static void WaitWhileUpdating()
        {
            for (int spin = 0; spin < 100000 && (Read(0x0A) & 0x80) != 0; spin++)
                Cpu.Pause();
        }

        private static ulong ReadOnce()
        {
            byte statusB = Read(0x0B);
            if (statusB == 0xFF)
                return 0; // nothing answers on the port
            bool binary = (statusB & 0x04) != 0;
            bool twentyFourHour = (statusB & 0x02) != 0;
            int second = Decode(Read(0x00), binary);
            int minute = Decode(Read(0x02), binary);
            byte rawHour = Read(0x04);
            int hour = Decode((byte)(rawHour & 0x7F), binary);
            if (!twentyFourHour)
                hour = (hour % 12) + ((rawHour & 0x80) != 0 ? 12 : 0);
            int day = Decode(Read(0x07), binary);
            int month = Decode(Read(0x08), binary);
            int year = 2000 + Decode(Read(0x09), binary);
            if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
                return 0;
            return (ulong)DaysSinceEpoch(year, month, day) * 86400UL + (ulong)(hour * 3600 + minute * 60 + second);
        }

        /// <summary>Days from 1970-01-01 to the given civil date (proleptic Gregorian).</summary>
        public static long DaysSinceEpoch(int year, int month, int day)
        {
            // Counting from March makes February (and its leap day) the last month of the year.
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yearOfEra = y - era * 400;
            long dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
            long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return era * 146097 + dayOfEra - 719468;
        }

        private static int Decode(byte value, bool binary) => binary ? value : (value & 0x0F) + (value >> 4) * 10;

        private static byte Read(byte register)
        {
            Cpu.Out8(IndexPort, register);
            return Cpu.In8(DataPort);
        }
    }
}
