using System;

namespace Osv.Core.Elf;

/// <summary>
/// A span's address and length, storable in an ordinary struct (a span is not). Used for names that point
/// into an object's string table or a caller's buffer: valid only while that memory is.
/// </summary>
internal readonly unsafe struct ByteRange
{
    private readonly byte* _start;
    private readonly int _length;

    private ByteRange(byte* start, int length)
    {
        _start = start;
        _length = length;
    }

    public static ByteRange Of(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
            return new ByteRange(start, bytes.Length);
    }

    public ReadOnlySpan<byte> Span => new ReadOnlySpan<byte>(_start, _length);
}
