using System;
namespace Osv.Core.Diagnostics
{
    /// <summary>ASCII number formatting into caller-provided buffers (no allocation: usable in a panic).</summary>
    public static class NumberFormat
    {
        /// <summary>Writes <paramref name="digits"/> lowercase hex digits; returns the count written.</summary>
        public static int Hex(Span<byte> destination, ulong value, int digits)
        {
            if (destination.Length < digits)
                return 0;
            for (int i = digits - 1; i >= 0; i--)
            {
                int nibble = (int)(value & 0xF);
                destination[i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
                value >>= 4;
            }
            return digits;
        }

        /// <summary>Shortest lowercase hex (at least one digit).</summary>
        public static int HexShortest(Span<byte> destination, ulong value)
        {
            int digits = 1;
            for (ulong rest = value >> 4; rest != 0; rest >>= 4)
                digits++;
            return Hex(destination, value, digits);
        }

        public static int Decimal(Span<byte> destination, ulong value)
        {
            Span<byte> reversed = stackalloc byte[20];
            int count = 0;
            do
            {
                reversed[count++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);
            if (destination.Length < count)
                return 0;
            for (int i = 0; i < count; i++)
                destination[i] = reversed[count - 1 - i];
            return count;
        }

        /// <summary>Nanoseconds as milliseconds with two decimals ("12.34"), truncated.</summary>
        public static int Milliseconds(Span<byte> destination, ulong nanoseconds)
        {
            ulong hundredths = nanoseconds / 10000;
            int written = Decimal(destination, hundredths / 100);
            if (written == 0 || destination.Length < written + 3)
                return 0;
            destination[written] = (byte)'.';
            ulong fraction = hundredths % 100;
            destination[written + 1] = (byte)('0' + (int)(fraction / 10));
            destination[written + 2] = (byte)('0' + (int)(fraction % 10));
            return written + 3;
        }
    }
}
