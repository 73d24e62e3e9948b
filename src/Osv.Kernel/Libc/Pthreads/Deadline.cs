using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Linux;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>Absolute struct timespec deadlines of the timed waits, turned into nanoseconds since boot.</summary>
    internal static unsafe class Deadline
    {
        public const int ClockRealtime = 0;
        public const int ClockMonotonic = 1;

        /// <summary>
        /// The deadline in ns since boot (at least 1: 0 means "none" to <see cref="AddressWait"/>), or
        /// -EINVAL for a bad timespec or clock.
        /// </summary>
        public static long FromTimespec(TimeSpec* time, int clock)
        {
            if (time == null || time->Nanoseconds < 0 || time->Nanoseconds >= 1000000000L)
                return -LibcErrors.EINVAL;
            if (time->Seconds < 0)
                return 1; // long past
            ulong absolute = (ulong)time->Seconds * 1000000000UL + (ulong)time->Nanoseconds;
            if (time->Seconds > 0x7fffffffL * 8)
                return long.MaxValue; // beyond any run
            ulong sinceBoot;
            if (clock == ClockRealtime)
            {
                ulong boot = LinuxSystemCalls.BootUnixSeconds * 1000000000UL;
                sinceBoot = absolute > boot ? absolute - boot : 0;
            }
            else if (clock == ClockMonotonic)
                sinceBoot = absolute;
            else
                return -LibcErrors.EINVAL;
            return sinceBoot == 0 ? 1 : (long)sinceBoot;
        }

        public static ulong Now => TscClock.NanosecondsSinceBoot;
    }
}
