using System;

namespace Osv.Vfs.Formats;

/// <summary>
/// Little-endian integers at byte offsets of a span. Both on-disk formats here are little-endian;
/// spelling the byte order out keeps the code right on any host and needs nothing from the corelib.
/// Callers check bounds first (the span indexer still would catch a mistake, as a panic).
/// </summary>
internal static class LittleEndianBytes
{
    public static ushort ReadUInt16(ReadOnlySpan<byte> bytes, int offset) =>
        (ushort)(bytes[offset] | bytes[offset + 1] << 8);

    public static uint ReadUInt32(ReadOnlySpan<byte> bytes, int offset) =>
        bytes[offset] | (uint)bytes[offset + 1] << 8 | (uint)bytes[offset + 2] << 16 | (uint)bytes[offset + 3] << 24;

    public static ulong ReadUInt64(ReadOnlySpan<byte> bytes, int offset) =>
        ReadUInt32(bytes, offset) | (ulong)ReadUInt32(bytes, offset + 4) << 32;

    public static void WriteUInt16(Span<byte> bytes, int offset, ushort value)
    {
        bytes[offset] = (byte)value;
        bytes[offset + 1] = (byte)(value >> 8);
    }

    public static void WriteUInt64(Span<byte> bytes, int offset, ulong value)
    {
        for (int i = 0; i < 8; i++)
            bytes[offset + i] = (byte)(value >> (8 * i));
    }
}
