using System;

namespace Osv.Core.Text;

/// <summary>
/// Builds a string piece by piece: the kernel flavor has no string concatenation or formatting,
/// so messages that quote input are assembled here and turned into one string at the end.
/// </summary>
public sealed class TextBuilder
{
    private char[] _chars;
    private int _length;

    public TextBuilder(int capacity = 64)
    {
        _chars = new char[capacity > 0 ? capacity : 1];
    }

    public int Length => _length;

    public TextBuilder Append(ReadOnlySpan<char> text)
    {
        EnsureRoom(text.Length);
        text.CopyTo(new Span<char>(_chars, _length, text.Length));
        _length += text.Length;
        return this;
    }

    public TextBuilder Append(char character)
    {
        EnsureRoom(1);
        _chars[_length++] = character;
        return this;
    }

    /// <summary>Appends <paramref name="value"/> in decimal.</summary>
    public TextBuilder Append(long value)
    {
        Span<char> digits = stackalloc char[20];
        int start = digits.Length;
        // Work with the negative magnitude so long.MinValue needs no special case.
        long remaining = value < 0 ? value : -value;
        do
        {
            digits[--start] = (char)('0' - (int)(remaining % 10));
            remaining /= 10;
        } while (remaining != 0);
        if (value < 0)
            Append('-');
        return Append(digits.Slice(start));
    }

    public string Build() => new string(new ReadOnlySpan<char>(_chars, 0, _length));

    private void EnsureRoom(int extra)
    {
        if (_length + extra <= _chars.Length)
            return;
        int capacity = _chars.Length * 2;
        if (capacity < _length + extra)
            capacity = _length + extra;
        char[] larger = new char[capacity];
        new ReadOnlySpan<char>(_chars, 0, _length).CopyTo(larger);
        _chars = larger;
    }
}
