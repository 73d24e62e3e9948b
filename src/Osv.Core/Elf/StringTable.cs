using System;

namespace Osv.Core.Elf;

/// <summary>DT_STRTAB: NUL-terminated names addressed by offset. A lookup never reads past DT_STRSZ.</summary>
public readonly unsafe struct StringTable
{
    private readonly byte* _start;
    private readonly ulong _size;

    public StringTable(byte* start, ulong size)
    {
        _start = start;
        _size = start == null ? 0 : size;
    }

    public ulong Size => _size;

    /// <summary>The name at <paramref name="offset"/> without its NUL; false if the offset or the name runs past the table.</summary>
    public bool TryGet(ulong offset, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (offset >= _size)
            return false;
        ulong end = offset;
        while (end < _size && _start[end] != 0)
            end++;
        if (end == _size || end - offset > int.MaxValue)
            return false;
        name = new ReadOnlySpan<byte>(_start + offset, (int)(end - offset));
        return true;
    }
}
