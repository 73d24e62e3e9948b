using System;
using System.Buffers.Binary;
using System.Linq;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>Broken inputs give the specific status, with the offending index, and never an exception or a wild read.</summary>
[Collection(ElfCollection.Name)]
public sealed unsafe class MalformedElfTests
{
    private readonly GccElfObjects _objects;
    private readonly byte[] _pie;

    public MalformedElfTests(GccElfObjects objects)
    {
        _objects = objects;
        _pie = System.IO.File.ReadAllBytes(objects[GccElfObjects.Pie]);
    }

    private static ElfError Parse(byte[] bytes, int length, ElfMachine machine = ElfMachine.X86_64)
    {
        // A fresh exact-size copy: reading one byte past the length would be caught by nothing, so give none to read.
        byte[] copy = GC.AllocateArray<byte>(length, pinned: true);
        Array.Copy(bytes, copy, length);
        return ElfImage.Validate(copy, machine);
    }

    private static ElfError Parse(byte[] bytes) => Parse(bytes, bytes.Length);

    private static ProgramHeader Header(byte[] bytes, int index)
    {
        ProgramHeader header = default;
        int at = 64 + index * 56;
        header.Type = (ProgramHeaderType)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
        header.Offset = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 8));
        header.VirtualAddress = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 16));
        header.FileSize = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 32));
        header.MemorySize = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 40));
        return header;
    }

    private int PhdrCount => BinaryPrimitives.ReadUInt16LittleEndian(_pie.AsSpan(56));

    private int IndexOf(ProgramHeaderType type, int skip = 0) =>
        Enumerable.Range(0, PhdrCount).Where(i => Header(_pie, i).Type == type).Skip(skip).First();

    private byte[] Patched(int offset, ulong value, int width)
    {
        byte[] copy = (byte[])_pie.Clone();
        if (width == 2) BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), (ushort)value);
        else if (width == 4) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), (uint)value);
        else BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private byte[] PatchedPhdr(int index, int field, ulong value, int width = 8) => Patched(64 + index * 56 + field, value, width);

    [Fact]
    public void EveryTruncationNamesWhatIsCutOff()
    {
        ParsedElf.AssertOk(Parse(_pie));
        int tableEnd = 64 + PhdrCount * 56;
        var segmentEnds = Enumerable.Range(0, PhdrCount).Select(i => Header(_pie, i))
            .Select(h => h.Type is ProgramHeaderType.Load or ProgramHeaderType.Dynamic or ProgramHeaderType.Interpreter
                or ProgramHeaderType.Note or ProgramHeaderType.Tls ? h.Offset + h.FileSize : 0).ToArray();
        for (int length = 0; length < _pie.Length; length += length < tableEnd + 64 ? 1 : 61)
        {
            ElfError error = Parse(_pie, length);
            if (length < 64)
                Assert.Equal((ElfStatus.TruncatedHeader, (ulong)length), (error.Status, error.Offset));
            else if (length < tableEnd)
                Assert.Equal((ElfStatus.TruncatedProgramHeaders, (length - 64) / 56, (ulong)tableEnd), (error.Status, error.Index, error.Offset));
            else if (segmentEnds.Any(end => end > (ulong)length))
                Assert.Equal((ElfStatus.SegmentOutsideFile, Array.FindIndex(segmentEnds, end => end > (ulong)length)), (error.Status, error.Index));
            else
                Assert.True(error.IsOk, $"length {length}: {error.Status}");
        }
    }

    [Theory]
    [InlineData(183, ElfStatus.WrongMachine)]
    [InlineData(40, ElfStatus.UnsupportedMachine)]
    [InlineData(3, ElfStatus.UnsupportedMachine)]
    public void ForeignMachinesAreNamed(int machine, ElfStatus expected)
    {
        ElfError error = Parse(Patched(18, (ulong)machine, 2));
        Assert.Equal((expected, (ulong)machine), (error.Status, error.Value));
    }

    [Fact]
    public void AnX64ObjectIsTheWrongMachineForAnAArch64Kernel()
    {
        ElfError error = Parse(_pie, _pie.Length, ElfMachine.AArch64);
        Assert.Equal((ElfStatus.WrongMachine, 62UL), (error.Status, error.Value));
    }

    [Theory]
    [InlineData(0, 0x7E, 1, ElfStatus.BadMagic)]
    [InlineData(4, 1, 1, ElfStatus.NotElf64)]
    [InlineData(5, 2, 1, ElfStatus.NotLittleEndian)]
    [InlineData(6, 0, 1, ElfStatus.BadVersion)]
    [InlineData(16, 1, 2, ElfStatus.NotExecutableOrSharedObject)]
    [InlineData(16, 4, 2, ElfStatus.NotExecutableOrSharedObject)]
    [InlineData(20, 2, 4, ElfStatus.BadVersion)]
    [InlineData(52, 32, 2, ElfStatus.BadHeaderSize)]
    [InlineData(54, 32, 2, ElfStatus.BadProgramHeaderEntrySize)]
    [InlineData(56, 0, 2, ElfStatus.NoProgramHeaders)]
    [InlineData(32, 0xFFFF_FFFF_FFFF_FF00, 8, ElfStatus.TruncatedProgramHeaders)]
    public void BadHeaderFieldsAreNamed(int offset, ulong value, int width, ElfStatus expected)
    {
        byte[] bytes = (byte[])_pie.Clone();
        if (width == 1)
            bytes[offset] = (byte)value;
        else
            bytes = Patched(offset, value, width);
        Assert.Equal(expected, Parse(bytes).Status);
    }

    [Fact]
    public void CorruptProgramHeadersAreNamedWithTheirIndex()
    {
        int firstLoad = IndexOf(ProgramHeaderType.Load);
        int secondLoad = IndexOf(ProgramHeaderType.Load, 1);
        int dynamic = IndexOf(ProgramHeaderType.Dynamic);
        int interpreter = IndexOf(ProgramHeaderType.Interpreter);
        int tls = IndexOf(ProgramHeaderType.Tls);
        int stack = IndexOf(ProgramHeaderType.GnuStack);
        ProgramHeader first = Header(_pie, firstLoad);
        ProgramHeader second = Header(_pie, secondLoad);

        AssertStatus(PatchedPhdr(firstLoad, 32, first.MemorySize + 1), ElfStatus.SegmentFileSizeExceedsMemorySize, firstLoad);
        AssertStatus(PatchedPhdr(secondLoad, 48, 0x1001), ElfStatus.BadSegmentAlignment, secondLoad);
        AssertStatus(PatchedPhdr(secondLoad, 16, second.VirtualAddress + 8), ElfStatus.BadSegmentAlignment, secondLoad);
        AssertStatus(PatchedPhdr(secondLoad, 16, first.VirtualAddress), ElfStatus.LoadSegmentsOverlap, secondLoad);
        byte[] reordered = PatchedPhdr(firstLoad, 16, second.VirtualAddress + 0x100000);
        reordered = WithPhdr(reordered, firstLoad, 24, second.VirtualAddress + 0x100000);
        AssertStatus(reordered, ElfStatus.LoadSegmentsOutOfOrder, secondLoad);
        AssertStatus(PatchedPhdr(firstLoad, 8, ulong.MaxValue - 4), ElfStatus.SegmentAddressOverflow, firstLoad);
        AssertStatus(PatchedPhdr(dynamic, 16, 0x4000_0000), ElfStatus.SegmentOutsideLoad, dynamic);
        AssertStatus(PatchedPhdr(dynamic, 32, 17), ElfStatus.BadDynamicSegmentSize, dynamic);
        AssertStatus(PatchedPhdr(Math.Max(tls, stack), 0, (ulong)ProgramHeaderType.Tls, 4), ElfStatus.DuplicateSegment, Math.Max(tls, stack));
        ProgramHeader interp = Header(_pie, interpreter);
        byte[] unterminated = (byte[])_pie.Clone();
        unterminated[interp.Offset + interp.FileSize - 1] = (byte)'x';
        AssertStatus(unterminated, ElfStatus.BadInterpreter, interpreter);
        AssertStatus(PatchedPhdr(tls, 48, 24), ElfStatus.BadTlsSegment, tls);

        byte[] noLoads = (byte[])_pie.Clone();
        for (int i = 0; i < PhdrCount; i++)
        {
            if (Header(_pie, i).Type == ProgramHeaderType.Load)
                noLoads = WithPhdr(noLoads, i, 0, 0, 4);
        }
        Assert.Equal(ElfStatus.NoLoadSegments, Parse(noLoads).Status);
    }

    private static byte[] WithPhdr(byte[] bytes, int index, int field, ulong value, int width = 8)
    {
        if (width == 4) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(64 + index * 56 + field), (uint)value);
        else BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(64 + index * 56 + field), value);
        return bytes;
    }

    private static void AssertStatus(byte[] bytes, ElfStatus status, int index)
    {
        ElfError error = Parse(bytes);
        Assert.Equal((status, index), (error.Status, error.Index));
    }

    /// <summary>Decodes a patched copy of the PIE's dynamic section (entry <paramref name="entry"/> gets tag/value).</summary>
    private ElfError DecodeWith(Func<byte[], int, byte[]> patch, out DynamicSection dynamic)
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        ProgramHeader header = file.Image.ProgramHeaderAt(file.Image.DynamicIndex);
        byte[] bytes = GC.AllocateArray<byte>(_pie.Length, pinned: true);
        patch((byte[])_pie.Clone(), (int)header.Offset).CopyTo(bytes, 0);
        fixed (byte* data = bytes)
        {
            ParsedElf.AssertOk(ElfImage.Parse(data, (ulong)bytes.Length, ElfMachine.X86_64, out ElfImage image));
            return DynamicSection.Decode(AddressSpaceView.OfFile(image), header.VirtualAddress, header.FileSize, out dynamic);
        }
    }

    private int EntryIndex(DynamicTag tag) => Readelf.DynamicSection(_objects[GccElfObjects.Pie]).FindIndex(e => e.Tag == (long)tag);

    private ElfError DecodeWithValue(DynamicTag tag, ulong value) =>
        DecodeWith((bytes, offset) => WithValue(bytes, offset + EntryIndex(tag) * 16 + 8, value), out _);

    private static byte[] WithValue(byte[] bytes, int offset, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value);
        return bytes;
    }

    [Fact]
    public void BadDynamicSectionsAreNamed()
    {
        ParsedElf.AssertOk(DecodeWith((bytes, _) => bytes, out _));
        ElfError error = DecodeWithValue(DynamicTag.StringTable, 0x7fff_0000);
        Assert.Equal((ElfStatus.DynamicAddressUnmapped, (ulong)DynamicTag.StringTable), (error.Status, error.Value));
        error = DecodeWithValue(DynamicTag.Needed, 0x10_0000);
        Assert.Equal((ElfStatus.StringOffsetOutOfRange, EntryIndex(DynamicTag.Needed)), (error.Status, error.Index));
        error = DecodeWithValue(DynamicTag.SymbolEntrySize, 16);
        Assert.Equal((ElfStatus.BadDynamicEntry, EntryIndex(DynamicTag.SymbolEntrySize)), (error.Status, error.Index));
        error = DecodeWithValue(DynamicTag.PltRelocationFormat, 17);
        Assert.Equal(ElfStatus.UnsupportedPltRelocationFormat, error.Status);
        error = DecodeWithValue(DynamicTag.RelaSize, 25);
        Assert.Equal((ElfStatus.BadDynamicEntry, EntryIndex(DynamicTag.Rela)), (error.Status, error.Index));
        error = DecodeWithValue(DynamicTag.JumpRelocations, 0x7fff_0000);
        Assert.Equal((ElfStatus.DynamicAddressUnmapped, EntryIndex(DynamicTag.JumpRelocations)), (error.Status, error.Index));
        error = DecodeWith((bytes, offset) =>
        {
            for (int at = offset; at < offset + (int)Header(_pie, IndexOf(ProgramHeaderType.Dynamic)).FileSize; at += 16)
            {
                if (BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)) == 0)
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), (long)DynamicTag.Debug);
            }
            return bytes;
        }, out _);
        Assert.Equal(ElfStatus.UnterminatedDynamicSection, error.Status);
    }

    [Fact]
    public void BadHashAndVersionTablesAreNamed()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        Assert.True(file.Image.TryTranslate(file.Dynamic.GnuHash, 16, out ulong hash));
        Assert.True(file.Image.TryTranslate(file.Dynamic.VersionNeeded, 16, out ulong needed));
        Assert.Equal(ElfStatus.BadHashTable, CreateSymbols(Patched((int)hash + 8, 3, 4)).Status);
        Assert.Equal(ElfStatus.BadHashTable, CreateSymbols(Patched((int)hash + 12, 64, 4)).Status);
        Assert.Equal(ElfStatus.BadHashTable, CreateSymbols(Patched((int)hash, 0, 4)).Status);
        Assert.Equal(ElfStatus.BadVersionTable, CreateSymbols(Patched((int)needed, 2, 2)).Status);
        Assert.Equal(ElfStatus.BadVersionTable, CreateSymbols(Patched((int)needed + 8, 0x10_0000, 4)).Status);
    }

    private static ElfError CreateSymbols(byte[] file)
    {
        byte[] bytes = GC.AllocateArray<byte>(file.Length, pinned: true);
        file.CopyTo(bytes, 0);
        fixed (byte* data = bytes)
        {
            ParsedElf.AssertOk(ElfImage.Parse(data, (ulong)bytes.Length, ElfMachine.X86_64, out ElfImage image));
            ProgramHeader header = image.ProgramHeaderAt(image.DynamicIndex);
            ParsedElf.AssertOk(DynamicSection.Decode(AddressSpaceView.OfFile(image), header.VirtualAddress, header.FileSize, out DynamicSection dynamic));
            return DynamicSymbols.Create(dynamic, out _);
        }
    }

    [Fact]
    public void RandomCorruptionNeverThrowsOrReadsOutside()
    {
        var random = new Random(0x05F);
        var file = new ParsedElf(_objects[GccElfObjects.Library]);
        ProgramHeader dynamicHeader = file.Image.ProgramHeaderAt(file.Image.DynamicIndex);
        int metadataEnd = (int)file.Image.ProgramHeaderAt(Enumerable.Range(0, file.Image.ProgramHeaderCount)
            .First(i => file.Image.ProgramHeaderAt(i).Type == ProgramHeaderType.Load)).FileSize;
        byte[] original = file.Bytes;
        int parsed = 0;
        for (int round = 0; round < 1500; round++)
        {
            byte[] bytes = GC.AllocateArray<byte>(original.Length, pinned: true);
            original.CopyTo(bytes, 0);
            for (int flips = random.Next(1, 6); flips > 0; flips--)
            {
                int at = random.Next(3) switch
                {
                    0 => random.Next(64 + file.Image.ProgramHeaderCount * 56),
                    1 => (int)dynamicHeader.Offset + random.Next((int)dynamicHeader.FileSize),
                    _ => random.Next(metadataEnd),
                };
                bytes[at] = (byte)random.Next(256);
            }
            fixed (byte* data = bytes)
            {
                if (!ElfImage.Parse(data, (ulong)bytes.Length, ElfMachine.X86_64, out ElfImage image).IsOk || !image.HasDynamicSection)
                    continue;
                ProgramHeader header = image.ProgramHeaderAt(image.DynamicIndex);
                if (!DynamicSection.Decode(AddressSpaceView.OfFile(image), header.VirtualAddress, header.FileSize, out DynamicSection dynamic).IsOk
                    || !DynamicSymbols.Create(dynamic, out DynamicSymbols symbols).IsOk)
                    continue;
                parsed++;
                for (uint i = 0; i < symbols.Count; i++)
                {
                    symbols.TryGetSymbol(i, out ElfSymbol symbol);
                    symbols.TryGetVersion(i, out _);
                    symbols.TryLookup(symbol.Name, default, out _);
                }
                for (int i = 0; i < dynamic.NeededCount; i++)
                    dynamic.TryGetNeeded(i, out _);
                var cursor = new RelrCursor(dynamic);
                while (cursor.TryNext(out _)) { }
            }
        }
        Assert.InRange(parsed, 1, 1500);
    }
}
