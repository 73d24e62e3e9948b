using Osv.Vfs.Formats;
using System;

namespace Osv.Vfs.Partitions;

/// <summary>
/// A GUID as GPT stores it: 16 bytes whose first three groups are little-endian and last two are
/// big-endian (the layout of <c>System.Guid.ToByteArray</c>). Kept as the raw bytes so reading and
/// writing a table never reorders anything; only <see cref="Format"/> and the constructor from
/// the textual groups know the mixed byte order.
/// </summary>
public readonly partial struct GptGuid
{
    public const int Size = 16;

    /// <summary>Characters <see cref="Format"/> writes: <c>0FC63DAF-8483-4772-8E79-3D69D8477DE4</c>.</summary>
    public const int TextLength = 36;

    private readonly ulong _bytes0To7;   // raw bytes 0..7, byte 0 lowest
    private readonly ulong _bytes8To15;  // raw bytes 8..15, byte 8 lowest

    private GptGuid(ulong bytes0To7, ulong bytes8To15)
    {
        _bytes0To7 = bytes0To7;
        _bytes8To15 = bytes8To15;
    }

    /// <summary>The GUID written as text <c>g1-g2-g3-g4-g5</c>, e.g. (0x0FC63DAF, 0x8483, 0x4772, 0x8E79, 0x3D69D8477DE4).</summary>
    public GptGuid(uint group1, ushort group2, ushort group3, ushort group4, ulong group5)
    {
        _bytes0To7 = group1 | ((ulong)group2 << 32) | ((ulong)group3 << 48);
        ulong bigEndianTail = ((ulong)group4 << 48) | (group5 & 0xFFFF_FFFF_FFFF);
        ulong reversed = 0;
        for (int i = 0; i < 8; i++)
            reversed |= ((bigEndianTail >> (8 * (7 - i))) & 0xFF) << (8 * i);
        _bytes8To15 = reversed;
    }

    /// <summary>All zero: an unused GPT entry has this type.</summary>
    public static GptGuid Empty => default;

    /// <summary>Linux file system data (what OSv's rofs and ZFS partitions carry on GPT disks).</summary>
    public static GptGuid LinuxFilesystem => new GptGuid(0x0FC63DAF, 0x8483, 0x4772, 0x8E79, 0x3D69D8477DE4);

    /// <summary>EFI system partition.</summary>
    public static GptGuid EfiSystem => new GptGuid(0xC12A7328, 0xF81F, 0x11D2, 0xBA4B, 0x00A0C93EC93B);

    public bool IsEmpty => (_bytes0To7 | _bytes8To15) == 0;

    public bool Equals(GptGuid other) => _bytes0To7 == other._bytes0To7 && _bytes8To15 == other._bytes8To15;

    /// <summary>Reads the 16 bytes at the start of <paramref name="source"/>.</summary>
    public static GptGuid Read(ReadOnlySpan<byte> source) =>
        new GptGuid(LittleEndianBytes.ReadUInt64(source, 0), LittleEndianBytes.ReadUInt64(source, 8));

    /// <summary>Writes the 16 bytes to the start of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        for (int i = 0; i < 8; i++)
        {
            destination[i] = (byte)(_bytes0To7 >> (8 * i));
            destination[8 + i] = (byte)(_bytes8To15 >> (8 * i));
        }
    }

    /// <summary>Upper-case text with dashes, as sgdisk and sfdisk print it; returns 36, or -1 if the destination is shorter.</summary>
    public int Format(Span<char> destination)
    {
        if (destination.Length < TextLength)
            return -1;
        int at = 0;
        // Groups 1-3 print their bytes from high to low (little-endian fields), groups 4-5 in stored order.
        at = PutHexBytesDescending(destination, at, _bytes0To7, 3, 0);
        destination[at++] = '-';
        at = PutHexBytesDescending(destination, at, _bytes0To7, 5, 4);
        destination[at++] = '-';
        at = PutHexBytesDescending(destination, at, _bytes0To7, 7, 6);
        destination[at++] = '-';
        for (int i = 0; i < 8; i++)
        {
            if (i == 2)
                destination[at++] = '-';
            at = PutHexByte(destination, at, (byte)(_bytes8To15 >> (8 * i)));
        }
        return at;
    }

    private static int PutHexBytesDescending(Span<char> destination, int at, ulong bytes, int highByte, int lowByte)
    {
        for (int i = highByte; i >= lowByte; i--)
            at = PutHexByte(destination, at, (byte)(bytes >> (8 * i)));
        return at;
    }

    private static int PutHexByte(Span<char> destination, int at, byte value)
    {
        destination[at] = HexDigit(value >> 4);
        destination[at + 1] = HexDigit(value & 0xF);
        return at + 2;
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
