namespace Osv.Kernel.Libc.Strings
{
    /// <summary>NUL-terminated strings as the C library's C# code meets them (strlen without calling out to musl).</summary>
    internal static unsafe class CStrings
    {
        public static int Length(byte* text)
        {
            int length = 0;
            while (text[length] != 0)
                length++;
            return length;
        }
    }
}
