using System.Collections.Generic;
using System.Linq;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>The program-header queries behind dl_iterate_phdr, dladdr and _dl_find_object, on real objects checked against readelf.</summary>
[Collection(ElfCollection.Name)]
public sealed unsafe class ProgramHeaderTableTests
{
    private const ulong Bias = 0x7f12_3450_0000;
    private readonly GccElfObjects _objects;

    public ProgramHeaderTableTests(GccElfObjects objects) => _objects = objects;

    private static ProgramHeaderTable TableOf(ParsedElf file, ulong bias)
    {
        fixed (byte* data = file.Bytes)
            return new ProgramHeaderTable(data + *(ulong*)(data + 32), file.Image.ProgramHeaderCount, bias); // e_phoff; the bytes are pinned
    }

    [Theory]
    [MemberData(nameof(ElfSubjects.All), MemberType = typeof(ElfSubjects))]
    public void EveryQueryAgreesWithReadelf(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        var file = new ParsedElf(path);
        ulong bias = file.Image.Type == ElfFileType.Executable ? 0 : Bias;
        ProgramHeaderTable table = TableOf(file, bias);
        var rows = Readelf.ProgramHeaders(path);

        Assert.Equal(rows.Count, table.Count);
        var loads = rows.Where(row => row.Type == "LOAD").ToList();
        foreach (var load in loads)
        {
            Assert.True(table.Covers(bias + load.Address), $"first byte of the LOAD at 0x{load.Address:x}");
            Assert.True(table.Covers(bias + load.Address + load.MemorySize - 1), $"last byte of the LOAD at 0x{load.Address:x}");
            Assert.True(table.TryFindLoad(bias + load.Address + load.MemorySize / 2, out ProgramHeader found));
            Assert.Equal(load.Address, found.VirtualAddress);
        }
        ulong lowest = loads.Min(load => load.Address), highest = loads.Max(load => load.Address + load.MemorySize);
        Assert.False(table.Covers(bias + highest), "the byte after the last LOAD");
        if (lowest > 0)
            Assert.False(table.Covers(bias + lowest - 1), "the byte before the first LOAD");
        Assert.False(table.Covers(0));

        Assert.True(table.TryGetExtent(out ulong start, out ulong end));
        Assert.Equal(bias + (lowest & ~4095UL), start);
        Assert.Equal(bias + ((highest + 4095) & ~4095UL), end);

        var ehFrame = rows.Where(row => row.Type == "GNU_EH_FRAME").ToList();
        Assert.Equal(ehFrame.Count == 1, table.TryFind(ProgramHeaderType.GnuEhFrame, out ProgramHeader header));
        if (ehFrame.Count == 1)
        {
            Assert.Equal(ehFrame[0].Address, header.VirtualAddress);
            Assert.Equal(ehFrame[0].MemorySize, header.MemorySize);
        }
    }

    [Fact]
    public void AnEmptyTableCoversNothing()
    {
        var table = new ProgramHeaderTable(null, 5, Bias);
        Assert.Equal(0, table.Count);
        Assert.False(table.Covers(Bias));
        Assert.False(table.TryFind(ProgramHeaderType.GnuEhFrame, out _));
        Assert.False(table.TryGetExtent(out _, out _));
    }

    [Fact]
    public void AnAddressBelowTheBiasIsNotCovered()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Library]);
        ProgramHeaderTable table = TableOf(file, Bias);
        Assert.True(table.Covers(Bias)); // the first LOAD starts at 0 in a shared library
        Assert.False(table.Covers(Bias - 1));
    }
}
