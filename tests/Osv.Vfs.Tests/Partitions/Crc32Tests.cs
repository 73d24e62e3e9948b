using System;
using System.Text;
using Osv.Vfs.Partitions;
using Xunit;

namespace Osv.Vfs.Tests.Partitions;

public class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("123456789", 0xCBF43926u)] // the check value of CRC-32/ISO-HDLC
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void MatchesPublishedCheckValues(string text, uint expected) =>
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void PiecesGiveTheSameCrcAsTheWhole()
    {
        byte[] data = new byte[1000];
        new Random(7).NextBytes(data);
        uint running = Crc32.Append(Crc32.Start, data.AsSpan(0, 333));
        running = Crc32.Append(running, data.AsSpan(333));
        Assert.Equal(Crc32.Compute(data), Crc32.Finish(running));
    }

    [Fact]
    public void AppendZerosEqualsAppendingZeroBytes()
    {
        byte[] prefix = Encoding.ASCII.GetBytes("EFI PART");
        uint viaZeros = Crc32.Finish(Crc32.AppendZeros(Crc32.Append(Crc32.Start, prefix), 4));
        Assert.Equal(Crc32.Compute(Encoding.ASCII.GetBytes("EFI PART\0\0\0\0")), viaZeros);
    }

    [Fact]
    public void AgreesWithATableDrivenReference()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        byte[] data = new byte[4096];
        new Random(42).NextBytes(data);
        uint reference = 0xFFFFFFFF;
        foreach (byte b in data)
            reference = table[(reference ^ b) & 0xFF] ^ (reference >> 8);
        Assert.Equal(~reference, Crc32.Compute(data));
    }
}
