using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Vfs.Abi;

/// <summary>
/// <c>struct linux_dirent64</c> records as getdents64 writes them (include/linux/dirent.h, fs/readdir.c):
/// u64 d_ino, s64 d_off (position of the next entry), u16 d_reclen, u8 d_type, the name and a NUL,
/// padded to a multiple of 8.
/// </summary>
public static class LinuxDirent64
{
    public const int InodeField = 0;
    public const int NextOffsetField = 8;
    public const int RecordLengthField = 16;
    public const int TypeField = 18;
    public const int NameField = 19;

    public static int RecordLength(int nameLength) => (NameField + nameLength + 1 + 7) & ~7;

    /// <summary>Writes one record; returns its length, or 0 if it does not fit.</summary>
    public static int Write(Span<byte> destination, ulong inode, long nextOffset, byte type, ReadOnlySpan<byte> name)
    {
        int length = RecordLength(name.Length);
        if (length > destination.Length)
            return 0;
        Span<byte> record = destination.Slice(0, length);
        record.Clear();
        LittleEndianBytes.WriteUInt64(record, InodeField, inode);
        LittleEndianBytes.WriteUInt64(record, NextOffsetField, (ulong)nextOffset);
        LittleEndianBytes.WriteUInt16(record, RecordLengthField, (ushort)length);
        record[TypeField] = type;
        name.CopyTo(record.Slice(NameField));
        return length;
    }
}
