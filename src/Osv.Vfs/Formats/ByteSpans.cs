using System;

namespace Osv.Vfs.Formats;

/// <summary>Ordinal helpers over byte strings (names in the images are raw UTF-8 bytes).</summary>
internal static class ByteSpans
{
    public static bool Equal(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => Compare(left, right) == 0;

    /// <summary>Byte-wise ordinal order: negative, zero or positive like <c>memcmp</c>, a prefix first.</summary>
    public static int Compare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        int common = left.Length < right.Length ? left.Length : right.Length;
        for (int i = 0; i < common; i++)
        {
            if (left[i] != right[i])
                return left[i] - right[i];
        }
        return left.Length - right.Length;
    }

    /// <summary>Index of the first <paramref name="value"/>, or -1.</summary>
    public static int IndexOf(ReadOnlySpan<byte> bytes, byte value)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == value)
                return i;
        }
        return -1;
    }
}
