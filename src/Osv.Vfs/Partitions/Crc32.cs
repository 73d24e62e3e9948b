using System;

namespace Osv.Vfs.Partitions;

/// <summary>
/// CRC-32 as IEEE 802.3, zlib and the UEFI GPT use it: reflected polynomial 0xEDB88320, initial
/// value and final XOR 0xFFFFFFFF. Computed bit by bit, so there is no table to initialize: the
/// kernel corelib cannot build a static array, and GPT headers and entry arrays are small.
/// </summary>
public static class Crc32
{
    private const uint ReflectedPolynomial = 0xEDB88320;

    /// <summary>The CRC of <paramref name="data"/>; <c>Compute("123456789")</c> is 0xCBF43926.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The running value before any byte: feed pieces with <see cref="Append"/>, end with <see cref="Finish"/>.</summary>
    public const uint Start = 0xFFFFFFFF;

    public static uint Append(uint running, ReadOnlySpan<byte> data)
    {
        uint crc = running;
        for (int i = 0; i < data.Length; i++)
            crc = ShiftOutByte(crc ^ data[i]);
        return crc;
    }

    /// <summary>Feeds <paramref name="count"/> zero bytes, as a header's CRC field counts while it is computed.</summary>
    public static uint AppendZeros(uint running, int count)
    {
        uint crc = running;
        for (int i = 0; i < count; i++)
            crc = ShiftOutByte(crc);
        return crc;
    }

    /// <summary>Eight steps of the polynomial division; the mask replaces a branch on the low bit.</summary>
    private static uint ShiftOutByte(uint crc)
    {
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (ReflectedPolynomial & (0u - (crc & 1)));
        return crc;
    }

    public static uint Finish(uint running) => ~running;
}
