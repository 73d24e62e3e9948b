using System;
using System.Buffers.Binary;
using System.Text;
using Osv.Cli.Infrastructure;
using Osv.Cli.Symbols;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class KsymsBlobTests
{
    [Fact]
    public void EmptyBlobIsJustAHeader()
    {
        byte[] blob = KsymsBlob.Empty;

        Assert.Equal(16, blob.Length);
        Assert.Equal("KSYM", Encoding.ASCII.GetString(blob, 0, 4));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4)));
        Assert.Equal(16ul, BinaryPrimitives.ReadUInt64LittleEndian(blob.AsSpan(8)));
    }

    [Fact]
    public void LayoutMatchesTheFormatTheKernelReads()
    {
        var symbols = new[]
        {
            new KernelSymbol(0x200000, 0x10, "start"),
            new KernelSymbol(0x200010, 0, "label"),
            new KernelSymbol(0x2012a0, 0x3c, "Osv_Kernel_Osv_Kernel_DebugFaults__TriggerPageFault"),
        };

        byte[] blob = KsymsBlob.Write(symbols);

        Assert.Equal(0x4D59534Bu, BinaryPrimitives.ReadUInt32LittleEndian(blob));
        Assert.Equal(new byte[] { (byte)'K', (byte)'S', (byte)'Y', (byte)'M' }, blob[..4]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4)));
        ulong stringTable = BinaryPrimitives.ReadUInt64LittleEndian(blob.AsSpan(8));
        Assert.Equal(16ul + 3 * 16, stringTable);
        for (int i = 0; i < symbols.Length; i++)
        {
            ReadOnlySpan<byte> entry = blob.AsSpan(16 + i * 16, 16);
            Assert.Equal(symbols[i].Address, BinaryPrimitives.ReadUInt64LittleEndian(entry));
            Assert.Equal(symbols[i].Size, BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]));
            int name = (int)stringTable + (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
            int end = Array.IndexOf(blob, (byte)0, name);
            Assert.Equal(symbols[i].Name, Encoding.UTF8.GetString(blob, name, end - name));
        }
        Assert.Equal(0, blob[^1]);
        Assert.Equal((int)stringTable + "start\0label\0Osv_Kernel_Osv_Kernel_DebugFaults__TriggerPageFault\0".Length, blob.Length);
    }

    [Fact]
    public void RepeatedNamesShareOneString()
    {
        byte[] blob = KsymsBlob.Write(new[] { new KernelSymbol(1, 0, "same"), new KernelSymbol(2, 0, "same") });

        Assert.Equal(16 + 2 * 16 + 5, blob.Length);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(16 + 12)), BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(32 + 12)));
    }

    [Fact]
    public void ReadReturnsWhatWriteWrote()
    {
        var symbols = new[] { new KernelSymbol(0x1000, 4, "a"), new KernelSymbol(0x1004, 8, "b"), new KernelSymbol(0xffffffff80000000, 1, "high") };

        Assert.Equal(symbols, KsymsBlob.Read(KsymsBlob.Write(symbols), "test"));
    }

    [Fact]
    public void RefusesUnsortedSymbols()
    {
        Assert.Throws<ArgumentException>(() => KsymsBlob.Write(new[] { new KernelSymbol(2, 0, "b"), new KernelSymbol(1, 0, "a") }));
    }

    [Fact]
    public void ReadRejectsABadMagic()
    {
        var error = Assert.Throws<OsvException>(() => KsymsBlob.Read(new byte[16], "image.elf"));
        Assert.Contains("image.elf", error.Message);
    }
}
