using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Strings
{
    /// <summary>glibc string functions musl does not have: rawmemchr (memchr without a bound; the byte is known to be there).</summary>
    internal static unsafe class GlibcStrings
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "rawmemchr")]
        public static byte* RawFind(byte* start, int value)
        {
            byte wanted = (byte)value;
            while (*start != wanted)
                start++;
            return start;
        }
    }
}
