using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Osv.Cli.Symbols;
using Osv.Core.Diagnostics;
using Xunit;

namespace Osv.Core.Tests.Diagnostics;

/// <summary>
/// KernelSymbolTable over blobs written by the `osv build` writer (KsymsBlob), and over hand-corrupted
/// copies. Every blob is placed so that it ends right before an inaccessible page: a lookup that read
/// past the blob would kill the test run instead of passing by luck.
/// </summary>
public sealed unsafe class KernelSymbolTableTests
{
    private static readonly KernelSymbol[] Symbols =
    {
        new(0x200000, 0x10, "osv_boot_entry"),
        new(0x200010, 0x0, "long_mode"),                    // assembler label: no size
        new(0x200100, 0x40, "Osv_Kernel_KernelMain__Start"),
        new(0x200140, 0x20, "Osv_Core_Kernel_Panic__Fail"),
        new(0x200200, 0x8, "memcpy"),                      // gap before it: 0x200160..0x2001ff
        new(0x200208, 0x8, "memcpy"),                      // same name twice (shared string)
        new(0x300000, 0x1000, "last_function"),
    };

    private static string Lookup(in KernelSymbolTable table, ulong address)
    {
        if (!table.TryLookup(address, out ReadOnlySpan<byte> name, out ulong offset))
            return "<none>";
        return Encoding.UTF8.GetString(name) + "+" + offset.ToString("x");
    }

    [Fact]
    public void ReadsTheCountFromAWrittenBlob()
    {
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Write(Symbols));
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        Assert.Equal(Symbols.Length, table.Count);
    }

    [Theory]
    [InlineData(0x200000UL, "osv_boot_entry+0")]
    [InlineData(0x200100UL, "Osv_Kernel_KernelMain__Start+0")]
    [InlineData(0x200140UL, "Osv_Core_Kernel_Panic__Fail+0")]
    [InlineData(0x300000UL, "last_function+0")]
    public void ExactHits(ulong address, string expected)
    {
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Write(Symbols));
        Assert.Equal(expected, Lookup(new KernelSymbolTable(memory.Data, memory.Length), address));
    }

    [Theory]
    [InlineData(0x200001UL, "osv_boot_entry+1")]
    [InlineData(0x20000FUL, "osv_boot_entry+f")]                 // last byte
    [InlineData(0x20013FUL, "Osv_Kernel_KernelMain__Start+3f")]
    [InlineData(0x200150UL, "Osv_Core_Kernel_Panic__Fail+10")]
    [InlineData(0x200207UL, "memcpy+7")]
    [InlineData(0x20020AUL, "memcpy+2")]                        // the second memcpy
    [InlineData(0x300FFFUL, "last_function+fff")]
    public void OffsetsInsideAFunction(ulong address, string expected)
    {
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Write(Symbols));
        Assert.Equal(expected, Lookup(new KernelSymbolTable(memory.Data, memory.Length), address));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(0x1FFFFFUL)]
    public void AddressBeforeTheFirstSymbolHasNoName(ulong address)
    {
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Write(Symbols));
        Assert.Equal("<none>", Lookup(new KernelSymbolTable(memory.Data, memory.Length), address));
    }

    [Theory]
    [InlineData(0x200160UL)]  // just past Panic__Fail's 0x20 bytes
    [InlineData(0x2001FFUL)]
    [InlineData(0x200210UL)]  // past the second memcpy
    [InlineData(0x301000UL)]  // past the last symbol
    [InlineData(ulong.MaxValue)]
    public void AddressPastASymbolsSizeHasNoName(ulong address)
    {
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Write(Symbols));
        Assert.Equal("<none>", Lookup(new KernelSymbolTable(memory.Data, memory.Length), address));
    }

    [Theory]
    [InlineData(0x200010UL, "long_mode+0")]
    [InlineData(0x200011UL, "long_mode+1")]
    [InlineData(0x2000FFUL, "long_mode+ef")]  // a size-0 symbol reaches up to the next symbol
    [InlineData(0x200100UL, "Osv_Kernel_KernelMain__Start+0")]
    public void SizeZeroSymbolsExtendToTheNextSymbol(ulong address, string expected)
    {
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Write(Symbols));
        Assert.Equal(expected, Lookup(new KernelSymbolTable(memory.Data, memory.Length), address));
    }

    [Fact]
    public void LargeTableMatchesALinearSearch()
    {
        var random = new Random(42);
        var symbols = new List<KernelSymbol>();
        ulong address = 0xFFFF_8000_0000_0000;
        for (int i = 0; i < 3000; i++)
        {
            address += (ulong)random.Next(1, 300);
            uint size = random.Next(5) == 0 ? 0u : (uint)random.Next(1, 200);
            symbols.Add(new KernelSymbol(address, size, "f" + i));
        }
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Write(symbols));
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        Assert.Equal(symbols.Count, table.Count);
        for (int probe = 0; probe < 5000; probe++)
        {
            ulong pc = symbols[0].Address - 5 + (ulong)random.NextInt64((long)(address - symbols[0].Address + 400));
            string expected = "<none>";
            for (int i = symbols.Count - 1; i >= 0; i--)
            {
                if (symbols[i].Address <= pc)
                {
                    ulong offset = pc - symbols[i].Address;
                    if (symbols[i].Size == 0 || offset < symbols[i].Size)
                        expected = symbols[i].Name + "+" + offset.ToString("x");
                    break;
                }
            }
            Assert.Equal(expected, Lookup(table, pc));
        }
    }

    [Fact]
    public void EmptyBlobHasNoSymbols()
    {
        using var memory = GuardedMemory.EndingWith(KsymsBlob.Empty);
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        Assert.Equal(0, table.Count);
        Assert.Equal("<none>", Lookup(table, 0x200000));
    }

    [Fact]
    public void NullOrShortBlobHasNoSymbols()
    {
        Assert.Equal("<none>", Lookup(new KernelSymbolTable(null, 100), 0x200000));
        byte[] blob = KsymsBlob.Write(Symbols);
        for (int length = 0; length < 16; length++)
        {
            using var memory = GuardedMemory.EndingWith(blob.AsSpan(0, length).ToArray());
            var table = new KernelSymbolTable(memory.Data, memory.Length);
            Assert.Equal(0, table.Count);
            Assert.Equal("<none>", Lookup(table, 0x200000));
        }
    }

    /// <summary>A well-formed blob, changed by <paramref name="corrupt"/>, must yield no names at all.</summary>
    private static void AssertNoLookups(Action<byte[]> corrupt, int? truncateTo = null)
    {
        byte[] blob = KsymsBlob.Write(Symbols);
        corrupt(blob);
        if (truncateTo is int length)
            blob = blob.AsSpan(0, length).ToArray();
        using var memory = GuardedMemory.EndingWith(blob);
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        foreach (KernelSymbol symbol in Symbols)
            Assert.Equal("<none>", Lookup(table, symbol.Address + 1));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x4B53594Du)] // "MYSK": the magic byte-swapped
    [InlineData(0x4D59534Cu)]
    public void BadMagicMeansNoLookups(uint magic)
    {
        AssertNoLookups(blob => BinaryPrimitives.WriteUInt32LittleEndian(blob, magic));
    }

    [Theory]
    [InlineData(8u)]            // one more entry than the blob has room for before the strings
    [InlineData(0x1000u)]
    [InlineData(0x0FFF_FFFFu)]
    [InlineData(0xFFFF_FFFFu)]
    public void CountTooLargeMeansNoLookups(uint count)
    {
        AssertNoLookups(blob => BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), count));
    }

    [Fact]
    public void TruncatedEntriesMeanNoLookups()
    {
        // The header promises 7 entries, the blob ends in the middle of the entry array.
        AssertNoLookups(_ => { }, truncateTo: 16 + 3 * 16 + 5);
    }

    [Theory]
    [InlineData(0x1_0000_0000UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(0x8000_0000_0000_0000UL)]
    [InlineData(15UL)]                 // inside the header
    [InlineData(16UL + 6 * 16)]        // overlapping the last entry
    public void StringTableOutOfRangeMeansNoLookups(ulong stringTable)
    {
        AssertNoLookups(blob => BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(8), stringTable));
    }

    [Fact]
    public void StringTablePastTheEndMeansNoLookups()
    {
        AssertNoLookups(blob => BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(8), (ulong)blob.Length + 1));
    }

    [Fact]
    public void NameOffsetOutsideTheBlobHasNoName()
    {
        byte[] blob = KsymsBlob.Write(Symbols);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16 + 2 * 16 + 12), 0xFFFF_FFF0);      // Start
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16 + 3 * 16 + 12), (uint)blob.Length); // Panic__Fail
        using var memory = GuardedMemory.EndingWith(blob);
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        Assert.Equal("<none>", Lookup(table, 0x200100));
        Assert.Equal("<none>", Lookup(table, 0x200140));
        Assert.Equal("osv_boot_entry+0", Lookup(table, 0x200000)); // the intact entries still work
    }

    [Fact]
    public void EmptyNameHasNoName()
    {
        byte[] blob = KsymsBlob.Write(Symbols);
        // Point osv_boot_entry at the NUL that ends the first name.
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16 + 12), (uint)"osv_boot_entry".Length);
        using var memory = GuardedMemory.EndingWith(blob);
        Assert.Equal("<none>", Lookup(new KernelSymbolTable(memory.Data, memory.Length), 0x200000));
    }

    /// <summary>The blob's last name loses its terminating NUL; the blob ends right before an inaccessible page.</summary>
    private static GuardedMemory BlobWithUnterminatedLastName()
    {
        byte[] blob = KsymsBlob.Write(Symbols);
        Assert.Equal(0, blob[^1]);
        return GuardedMemory.EndingWith(blob.AsSpan(0, blob.Length - 1).ToArray());
    }

    [Fact]
    public void NameRunningOffTheEndDoesNotReadPastTheBlob()
    {
        using GuardedMemory memory = BlobWithUnterminatedLastName();
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        // Getting through the lookup without a fault is the test: the byte after the blob is inaccessible.
        if (table.TryLookup(0x300010, out ReadOnlySpan<byte> name, out _))
            Assert.True(name.Length <= "last_function".Length);
        Assert.Equal("memcpy+0", Lookup(table, 0x200200)); // the other names are intact
    }

    [Fact]
    public void NameRunningOffTheEndHasNoName()
    {
        using GuardedMemory memory = BlobWithUnterminatedLastName();
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        Assert.Equal("<none>", Lookup(table, 0x300010));
    }

    [Fact]
    public void LengthArgumentBoundsTheBlob()
    {
        // The table must trust the length it is given, not the string table offset in the header:
        // with the blob cut before the strings, no names exist.
        byte[] blob = KsymsBlob.Write(Symbols);
        int stringTable = 16 + Symbols.Length * 16;
        using var memory = GuardedMemory.EndingWith(blob.AsSpan(0, stringTable).ToArray());
        var table = new KernelSymbolTable(memory.Data, memory.Length);
        foreach (KernelSymbol symbol in Symbols)
            Assert.Equal("<none>", Lookup(table, symbol.Address));
    }

    [Fact]
    public void RandomCorruptionNeverFaults()
    {
        byte[] original = KsymsBlob.Write(Symbols);
        var random = new Random(2024);
        for (int round = 0; round < 500; round++)
        {
            byte[] blob = (byte[])original.Clone();
            int changes = random.Next(1, 5);
            for (int i = 0; i < changes; i++)
                blob[random.Next(blob.Length)] = (byte)random.Next(256);
            int length = random.Next(4) == 0 ? random.Next(blob.Length + 1) : blob.Length;
            using var memory = GuardedMemory.EndingWith(blob.AsSpan(0, length).ToArray());
            var table = new KernelSymbolTable(memory.Data, memory.Length);
            Assert.InRange(table.Count, 0, Math.Max(0, (length - 16) / 16));
            foreach (KernelSymbol symbol in Symbols)
            {
                if (table.TryLookup(symbol.Address + 3, out ReadOnlySpan<byte> name, out _))
                {
                    // A returned name lies inside the blob.
                    fixed (byte* start = name)
                        Assert.True(start >= memory.Data && start + name.Length <= memory.Data + memory.Length);
                }
            }
        }
    }
}
