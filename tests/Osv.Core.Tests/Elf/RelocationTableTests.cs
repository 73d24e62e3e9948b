using System;
using System.Collections.Generic;
using System.Linq;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

[Collection(ElfCollection.Name)]
public sealed class RelocationTableTests
{
    private readonly GccElfObjects _objects;

    public RelocationTableTests(GccElfObjects objects) => _objects = objects;

    [Theory]
    [MemberData(nameof(ElfSubjects.All), MemberType = typeof(ElfSubjects))]
    public void RelaAndJumpSlotEntriesMatchReadelf(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        var file = new ParsedElf(path);
        List<ReadelfRelocation> expected = Readelf.Relocations(path).Rela;
        List<RelaEntry> decoded = Entries(RelaTable.Relocations(file.Dynamic)).Concat(Entries(RelaTable.PltRelocations(file.Dynamic))).ToList();
        Assert.Equal(expected.Count, decoded.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Offset, expected[i].Type, expected[i].SymbolIndex, expected[i].Addend),
                (decoded[i].Offset, decoded[i].Type, decoded[i].SymbolIndex, decoded[i].Addend));
            Assert.True(Enum.IsDefined(decoded[i].X64Type), $"relocation {i} has type {decoded[i].Type}, which the planner does not know");
        }
        Assert.False(RelaTable.Relocations(file.Dynamic).TryGet(RelaTable.Relocations(file.Dynamic).Count, out _));
    }

    [Theory]
    [InlineData(GccElfObjects.PackedRelative)]
    [InlineData("/lib/x86_64-linux-gnu/libc.so.6")]
    public void RelrAddressesMatchReadelf(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        var file = new ParsedElf(path);
        List<ulong> expected = Readelf.Relocations(path).Relr;
        Assert.NotEmpty(expected);
        var cursor = new RelrCursor(file.Dynamic);
        var decoded = new List<ulong>();
        while (cursor.TryNext(out ulong address))
            decoded.Add(address);
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void ObjectsWithoutRelrYieldNothing()
    {
        var cursor = new RelrCursor(new ParsedElf(_objects[GccElfObjects.Pie]).Dynamic);
        Assert.False(cursor.TryNext(out _));
    }

    private static IEnumerable<RelaEntry> Entries(RelaTable table)
    {
        for (ulong i = 0; i < table.Count; i++)
        {
            Assert.True(table.TryGet(i, out RelaEntry entry));
            yield return entry;
        }
    }
}
