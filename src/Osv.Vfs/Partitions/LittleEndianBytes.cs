using System;

namespace Osv.Vfs.Partitions;

/// <summary>Little-endian field access for on-disk tables (the kernel corelib has no BinaryPrimitives).</summary>
internal static class LittleEndianBytes
{
    public static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset) =>
        (ushort)(data[offset] | (data[offset + 1] << 8));

    public static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) =>
        (uint)data[offset] | ((uint)data[offset + 1] << 8) | ((uint)data[offset + 2] << 16) | ((uint)data[offset + 3] << 24);

    public static ulong ReadUInt64(ReadOnlySpan<byte> data, int offset) =>
        ReadUInt32(data, offset) | ((ulong)ReadUInt32(data, offset + 4) << 32);
}
