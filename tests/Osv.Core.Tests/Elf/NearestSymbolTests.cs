using System.Collections.Generic;
using System.Linq;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>dladdr's nearest-symbol search (<see cref="DynamicSymbols.TryFindNearest"/>) against an answer computed from readelf's table.</summary>
[Collection(ElfCollection.Name)]
public sealed class NearestSymbolTests
{
    private static readonly string[] DescribingTypes = { "FUNC", "OBJECT", "NOTYPE", "IFUNC", "COMMON" };
    private readonly GccElfObjects _objects;

    public NearestSymbolTests(GccElfObjects objects) => _objects = objects;

    private static List<ReadelfSymbol> Candidates(string path) =>
        Readelf.DynamicSymbols(path).Where(symbol => symbol.Section != "UND" && symbol.Section != "ABS" && symbol.Value != 0
            && DescribingTypes.Contains(symbol.Type)).ToList();

    [Theory]
    [MemberData(nameof(ElfSubjects.All), MemberType = typeof(ElfSubjects))]
    public void TheNearestSymbolIsTheHighestOneAtOrBelow(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        DynamicSymbols symbols = new ParsedElf(path).Symbols;
        List<ReadelfSymbol> candidates = Candidates(path);
        if (candidates.Count == 0)
        {
            Assert.False(symbols.TryFindNearest(ulong.MaxValue, out _));
            return;
        }
        int stride = candidates.Count / 150 + 1;
        for (int i = 0; i < candidates.Count; i += stride)
        {
            ReadelfSymbol probe = candidates[i];
            foreach (ulong address in new[] { probe.Value, probe.Value + probe.Size / 2, probe.Value + probe.Size + 3 })
            {
                ulong expected = candidates.Where(symbol => symbol.Value <= address).Max(symbol => symbol.Value);
                Assert.True(symbols.TryFindNearest(address, out ElfSymbol found), $"0x{address:x}");
                Assert.Equal(expected, found.Value);
                Assert.Contains(candidates, symbol => symbol.Value == found.Value && symbol.Name == ParsedElf.Text(found.Name));
            }
        }
        ulong lowest = candidates.Min(symbol => symbol.Value);
        Assert.False(symbols.TryFindNearest(lowest - 1, out _), "below every symbol");
    }

    [Fact]
    public void AnAddressInsideAFunctionNamesIt()
    {
        DynamicSymbols symbols = new ParsedElf(_objects[GccElfObjects.Library]).Symbols;
        Assert.True(symbols.TryLookup("lib_add"u8, default, out ElfSymbol add));
        Assert.True(symbols.TryFindNearest(add.Value + 3, out ElfSymbol found));
        Assert.Equal("lib_add", ParsedElf.Text(found.Name));
        Assert.Equal(add.Value, found.Value);
        Assert.True(symbols.TryLookup("lib_data"u8, default, out ElfSymbol data));
        Assert.True(symbols.TryFindNearest(data.Value + 1, out found));
        Assert.Equal("lib_data", ParsedElf.Text(found.Name));
    }
}
