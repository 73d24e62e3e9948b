using System;
using System.Globalization;
using System.Text;
using Osv.Core.Diagnostics;
using Xunit;

namespace Osv.Core.Tests.Diagnostics;

public sealed class NumberFormatTests
{
    private const byte Untouched = (byte)'#';

    private static byte[] Buffer(int length)
    {
        var buffer = new byte[length];
        buffer.AsSpan().Fill(Untouched);
        return buffer;
    }

    private static string Text(byte[] buffer, int written) => Encoding.ASCII.GetString(buffer, 0, written);

    [Theory]
    [InlineData(0xDEADBEEFUL, 8, "deadbeef")]
    [InlineData(0x0123456789ABCDEFUL, 16, "0123456789abcdef")]
    [InlineData(0UL, 16, "0000000000000000")]
    [InlineData(ulong.MaxValue, 16, "ffffffffffffffff")]
    [InlineData(0xAUL, 4, "000a")]
    [InlineData(0x12345UL, 4, "2345")] // fixed width keeps the low digits
    [InlineData(0x7UL, 1, "7")]
    public void HexWritesFixedWidthLowercase(ulong value, int digits, string expected)
    {
        byte[] buffer = Buffer(20);
        int written = NumberFormat.Hex(buffer, value, digits);
        Assert.Equal(digits, written);
        Assert.Equal(expected, Text(buffer, written));
        Assert.Equal(Untouched, buffer[written]); // nothing written past the digits
    }

    [Fact]
    public void HexIntoTooSmallDestinationWritesNothing()
    {
        byte[] buffer = Buffer(15);
        Assert.Equal(0, NumberFormat.Hex(buffer, 0x1234, 16));
        Assert.All(buffer, b => Assert.Equal(Untouched, b));
        Assert.Equal(0, NumberFormat.Hex(Span<byte>.Empty, 1, 1));
    }

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(0xFUL, "f")]
    [InlineData(0x10UL, "10")]
    [InlineData(0xFFFFFFFF8000_0000UL, "ffffffff80000000")]
    [InlineData(0x1000_0000_0000_0000UL, "1000000000000000")]
    [InlineData(ulong.MaxValue, "ffffffffffffffff")]
    public void HexShortestDropsLeadingZeros(ulong value, string expected)
    {
        byte[] buffer = Buffer(20);
        int written = NumberFormat.HexShortest(buffer, value);
        Assert.Equal(expected, Text(buffer, written));
        Assert.Equal(Untouched, buffer[written]);
    }

    [Fact]
    public void HexShortestMatchesTheRuntimeOnManyValues()
    {
        var random = new Random(1234);
        byte[] buffer = Buffer(16);
        for (int i = 0; i < 2000; i++)
        {
            ulong value = (ulong)random.NextInt64() >> random.Next(64);
            int written = NumberFormat.HexShortest(buffer, value);
            Assert.Equal(value.ToString("x", CultureInfo.InvariantCulture), Text(buffer, written));
        }
    }

    [Fact]
    public void HexShortestIntoTooSmallDestinationReturnsZero()
    {
        byte[] buffer = Buffer(3);
        Assert.Equal(0, NumberFormat.HexShortest(buffer, 0x1234));
        Assert.All(buffer, b => Assert.Equal(Untouched, b));
        Assert.Equal(3, NumberFormat.HexShortest(buffer, 0xABC));
    }

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(9UL, "9")]
    [InlineData(10UL, "10")]
    [InlineData(1234567890UL, "1234567890")]
    [InlineData(ulong.MaxValue, "18446744073709551615")]
    public void DecimalWritesAllDigits(ulong value, string expected)
    {
        byte[] buffer = Buffer(24);
        int written = NumberFormat.Decimal(buffer, value);
        Assert.Equal(expected, Text(buffer, written));
        Assert.Equal(Untouched, buffer[written]);
    }

    [Fact]
    public void DecimalMatchesTheRuntimeOnManyValues()
    {
        var random = new Random(99);
        byte[] buffer = Buffer(20);
        for (int i = 0; i < 2000; i++)
        {
            ulong value = (ulong)random.NextInt64() >> random.Next(64);
            int written = NumberFormat.Decimal(buffer, value);
            Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Text(buffer, written));
        }
    }

    [Theory]
    [InlineData(10UL, 1)]
    [InlineData(ulong.MaxValue, 19)]
    [InlineData(0UL, 0)]
    public void DecimalIntoTooSmallDestinationReturnsZero(ulong value, int length)
    {
        byte[] buffer = Buffer(length);
        Assert.Equal(0, NumberFormat.Decimal(buffer, value));
        Assert.All(buffer, b => Assert.Equal(Untouched, b));
    }

    [Theory]
    [InlineData(0UL, "0.00")]
    [InlineData(1UL, "0.00")]
    [InlineData(9_999UL, "0.00")]           // below a hundredth of a millisecond
    [InlineData(10_000UL, "0.01")]
    [InlineData(999_999UL, "0.99")]         // truncated, not rounded
    [InlineData(1_000_000UL, "1.00")]
    [InlineData(1_234_567UL, "1.23")]
    [InlineData(1_239_999UL, "1.23")]
    [InlineData(12_345_678_901UL, "12345.67")]
    [InlineData(ulong.MaxValue, "18446744073709.55")]
    public void MillisecondsTruncatesToHundredths(ulong nanoseconds, string expected)
    {
        byte[] buffer = Buffer(24);
        int written = NumberFormat.Milliseconds(buffer, nanoseconds);
        Assert.Equal(expected, Text(buffer, written));
        Assert.Equal(Untouched, buffer[written]);
    }

    [Fact]
    public void MillisecondsMatchesExactArithmetic()
    {
        var random = new Random(7);
        byte[] buffer = Buffer(24);
        for (int i = 0; i < 2000; i++)
        {
            ulong nanoseconds = (ulong)random.NextInt64() >> random.Next(64);
            decimal milliseconds = decimal.Truncate(nanoseconds / 10_000m) / 100m;
            string expected = milliseconds.ToString("0.00", CultureInfo.InvariantCulture);
            int written = NumberFormat.Milliseconds(buffer, nanoseconds);
            Assert.Equal(expected, Text(buffer, written));
        }
    }

    [Theory]
    [InlineData(1_234_567UL, 3)]   // "1.23" needs 4
    [InlineData(1_234_567UL, 1)]
    [InlineData(0UL, 0)]
    [InlineData(12_345_678_901UL, 7)] // "12345.67" needs 8
    public void MillisecondsIntoTooSmallDestinationReturnsZero(ulong nanoseconds, int length)
    {
        Assert.Equal(0, NumberFormat.Milliseconds(Buffer(length), nanoseconds));
    }

    [Fact]
    public void MillisecondsFitsExactly()
    {
        byte[] buffer = Buffer(4);
        Assert.Equal(4, NumberFormat.Milliseconds(buffer, 1_234_567));
        Assert.Equal("1.23", Text(buffer, 4));
    }
}
