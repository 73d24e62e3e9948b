using System;

namespace Osv.Core.Text;

/// <summary>Ordinal helpers over character spans (the kernel corelib has no MemoryExtensions).</summary>
public static class CharSpans
{
    public static bool EqualsOrdinal(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
    {
        if (left.Length != right.Length)
            return false;
        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i])
                return false;
        }
        return true;
    }

    public static bool StartsWithOrdinal(ReadOnlySpan<char> text, ReadOnlySpan<char> prefix) =>
        text.Length >= prefix.Length && EqualsOrdinal(text.Slice(0, prefix.Length), prefix);

    /// <summary>Index of the first <paramref name="value"/> in <paramref name="text"/>, or -1.</summary>
    public static int IndexOf(ReadOnlySpan<char> text, char value)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == value)
                return i;
        }
        return -1;
    }

    public static int Count(ReadOnlySpan<char> text, char value)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == value)
                count++;
        }
        return count;
    }
}
