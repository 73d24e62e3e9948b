using System;
using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Elf;

namespace Osv.Kernel.Libc.Time
{
    /// <summary>
    /// timezone, daylight and tzname (glibc's __timezone, __daylight, __tzname). musl's time-zone code
    /// keeps them in the kernel image and writes them whenever it reads TZ; an executable that reads them
    /// has taken them by COPY relocation, and its copies are what it sees. So the entry points that can
    /// re-read TZ (tzset, localtime, localtime_r, mktime, ctime, ctime_r and the strftime family, for
    /// %Z) are C# wrappers around musl's renamed functions (src/Osv.Kernel/Libc/musl-renamed-symbols.txt)
    /// that copy the three into the executable's copies afterwards, as glibc's tzset updates the one set.
    /// </summary>
    internal static unsafe class TimeZoneVariables
    {
        [DllImport("*"), SuppressGCTransition] private static extern void osv_musl_time_zone_state(void** addresses);
        [DllImport("*"), SuppressGCTransition] private static extern void __osv_musl_tzset();
        [DllImport("*"), SuppressGCTransition] private static extern void* __osv_musl_localtime(long* time);
        [DllImport("*"), SuppressGCTransition] private static extern void* __osv_musl_localtime_r(long* time, void* result);
        [DllImport("*"), SuppressGCTransition] private static extern long __osv_musl_mktime(void* broken);
        [DllImport("*"), SuppressGCTransition] private static extern byte* __osv_musl_ctime(long* time);
        [DllImport("*"), SuppressGCTransition] private static extern byte* __osv_musl_ctime_r(long* time, byte* buffer);
        [DllImport("*"), SuppressGCTransition] private static extern nuint __osv_musl_strftime(byte* buffer, nuint size, byte* format, void* broken);
        [DllImport("*"), SuppressGCTransition] private static extern nuint __osv_musl_strftime_l(byte* buffer, nuint size, byte* format, void* broken, void* locale);

        private static long* s_programTimezone;
        private static int* s_programDaylight;
        private static byte** s_programTzname;

        /// <summary>After linking: the executable's own copies, if it took any (none for a new program otherwise).</summary>
        public static void AdoptProgramCopies(in LoadedProgram program)
        {
            s_programTimezone = (long*)Process.ProgramCopies.Find(program, "__timezone"u8, "timezone"u8, 8);
            s_programDaylight = (int*)Process.ProgramCopies.Find(program, "__daylight"u8, "daylight"u8, 4);
            s_programTzname = (byte**)Process.ProgramCopies.Find(program, "__tzname"u8, "tzname"u8, 16);
        }

        /// <summary>A new program starts without copies.</summary>
        public static void Reset()
        {
            s_programTimezone = null;
            s_programDaylight = null;
            s_programTzname = null;
        }

        /// <summary>Copies musl's values into the executable's copies.</summary>
        private static void Publish()
        {
            if (s_programTimezone == null && s_programDaylight == null && s_programTzname == null)
                return;
            void** musl = stackalloc void*[3];
            osv_musl_time_zone_state(musl);
            if (s_programTimezone != null)
                *s_programTimezone = *(long*)musl[0];
            if (s_programDaylight != null)
                *s_programDaylight = *(int*)musl[1];
            if (s_programTzname != null)
            {
                s_programTzname[0] = ((byte**)musl[2])[0];
                s_programTzname[1] = ((byte**)musl[2])[1];
            }
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "tzset")]
        public static void Set()
        {
            __osv_musl_tzset();
            Publish();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "localtime")]
        public static void* Local(long* time)
        {
            void* result = __osv_musl_localtime(time);
            Publish();
            return result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "localtime_r")]
        public static void* LocalInto(long* time, void* result)
        {
            void* filled = __osv_musl_localtime_r(time, result);
            Publish();
            return filled;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mktime")]
        public static long Make(void* broken)
        {
            long seconds = __osv_musl_mktime(broken);
            Publish();
            return seconds;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ctime")]
        public static byte* Text(long* time)
        {
            byte* text = __osv_musl_ctime(time);
            Publish();
            return text;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ctime_r")]
        public static byte* TextInto(long* time, byte* buffer)
        {
            byte* text = __osv_musl_ctime_r(time, buffer);
            Publish();
            return text;
        }

        private static nuint Formatted(nuint length)
        {
            Publish();
            return length;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "strftime")]
        public static nuint FormatTime(byte* buffer, nuint size, byte* format, void* broken) =>
            Formatted(__osv_musl_strftime(buffer, size, format, broken)); // musl's strftime picks the thread's locale itself

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "strftime_l")]
        public static nuint FormatTimeInLocale(byte* buffer, nuint size, byte* format, void* broken, void* locale) => Formatted(__osv_musl_strftime_l(buffer, size, format, broken, locale));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__strftime_l")]
        public static nuint FormatTimeInLocaleInternal(byte* buffer, nuint size, byte* format, void* broken, void* locale) => Formatted(__osv_musl_strftime_l(buffer, size, format, broken, locale));
    }
}
