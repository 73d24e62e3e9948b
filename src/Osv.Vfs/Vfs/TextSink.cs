using System;

namespace Osv.Vfs.Vfs;

/// <summary>
/// Builds generated text (/proc files, mount lists) in a caller's buffer without allocating:
/// writes what fits and keeps counting, so a caller learns the size a full copy needs.
/// </summary>
public ref struct TextSink
{
    private readonly Span<byte> _destination;
    private int _length;

    public TextSink(Span<byte> destination)
    {
        _destination = destination;
        _length = 0;
    }

    /// <summary>Bytes the whole text takes (may exceed the buffer).</summary>
    public readonly int Length => _length;

    public void Append(byte value)
    {
        if (_length < _destination.Length)
            _destination[_length] = value;
        _length++;
    }

    public void Append(ReadOnlySpan<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
            Append(text[i]);
    }

    public void AppendDecimal(ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        int count = 0;
        do
        {
            digits[count++] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);
        while (count > 0)
            Append(digits[--count]);
    }

    /// <summary>Appends with ' ', '\t', '\n' and '\\' as three-digit octal escapes (fstab/mtab convention).</summary>
    public void AppendEscaped(ReadOnlySpan<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            byte c = text[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\\')
            {
                Append((byte)'\\');
                Append((byte)('0' + ((c >> 6) & 7)));
                Append((byte)('0' + ((c >> 3) & 7)));
                Append((byte)('0' + (c & 7)));
            }
            else
            {
                Append(c);
            }
        }
    }
}
