using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>Block copies. ILC routes struct copies and Span.CopyTo here.</summary>
    public static class Buffer
    {
        public static unsafe void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
        {
            if (sourceBytesToCopy > destinationSizeInBytes)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            Memmove(ref *(byte*)destination, ref *(byte*)source, (nuint)sourceBytesToCopy);
        }

        internal static unsafe void Memmove(ref byte destination, ref byte source, nuint length)
        {
            if (length == 0 || Unsafe.AreSame(ref destination, ref source))
                return;
            byte* d = (byte*)Unsafe.AsPointer(ref destination);
            byte* s = (byte*)Unsafe.AsPointer(ref source);
            if (d < s || d >= s + length)
            {
                // Forward: 8 bytes at a time, then the tail.
                nuint i = 0;
                for (; i + 8 <= length; i += 8)
                    *(ulong*)(d + i) = *(ulong*)(s + i);
                for (; i < length; i++)
                    d[i] = s[i];
            }
            else
            {
                nuint i = length;
                for (; i >= 8; i -= 8)
                    *(ulong*)(d + i - 8) = *(ulong*)(s + i - 8);
                for (; i > 0; i--)
                    d[i - 1] = s[i - 1];
            }
        }

        internal static void Memmove<T>(ref T destination, ref T source, nuint elementCount)
            => Memmove(ref Unsafe.As<T, byte>(ref destination), ref Unsafe.As<T, byte>(ref source), elementCount * (nuint)Unsafe.SizeOf<T>());

        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
            => Memmove(ref destination, ref source, byteCount);
    }

    internal static class SpanHelpers
    {
        internal static void Memmove(ref byte destination, ref byte source, nuint length)
            => Buffer.Memmove(ref destination, ref source, length);

        internal static void Fill(ref byte start, byte value, nuint length) => Fill(ref start, length, value);

        internal static unsafe void ClearWithoutReferences(ref byte start, nuint length)
        {
            byte* p = (byte*)Unsafe.AsPointer(ref start);
            nuint i = 0;
            for (; i + 8 <= length; i += 8)
                *(ulong*)(p + i) = 0;
            for (; i < length; i++)
                p[i] = 0;
        }

        internal static unsafe void ClearWithReferences(ref nint start, nuint pointerCount)
            => ClearWithoutReferences(ref Unsafe.As<nint, byte>(ref start), pointerCount * (nuint)sizeof(nint));

        internal static unsafe void Fill(ref byte start, nuint length, byte value)
        {
            byte* p = (byte*)Unsafe.AsPointer(ref start);
            for (nuint i = 0; i < length; i++)
                p[i] = value;
        }

        internal static unsafe bool SequenceEqual(ref byte first, ref byte second, nuint length)
        {
            byte* a = (byte*)Unsafe.AsPointer(ref first);
            byte* b = (byte*)Unsafe.AsPointer(ref second);
            for (nuint i = 0; i < length; i++)
            {
                if (a[i] != b[i])
                    return false;
            }
            return true;
        }
    }
}
