using System;
using System.Collections.Generic;
using System.Linq;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

[Collection(ElfCollection.Name)]
public sealed class DynamicSectionTests
{
    private readonly GccElfObjects _objects;

    public DynamicSectionTests(GccElfObjects objects) => _objects = objects;

    [Theory]
    [MemberData(nameof(ElfSubjects.All), MemberType = typeof(ElfSubjects))]
    public void DecodedEntriesMatchReadelf(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        var file = new ParsedElf(path);
        List<ReadelfDynamicEntry> expected = Readelf.DynamicSection(path);
        AssertMatches(file.Dynamic, expected);
    }

    [Theory]
    [InlineData(GccElfObjects.Library)]
    [InlineData(GccElfObjects.Hardened)]
    [InlineData(GccElfObjects.PackedRelative)]
    public void MappedViewDecodesTheSameAsTheFileView(string subject)
    {
        var file = new ParsedElf(_objects[subject]);
        using var loaded = new LoadedElf(file);
        AssertMatches(loaded.Dynamic, Readelf.DynamicSection(file.Path));
        Assert.Equal(file.Symbols.Count, loaded.Symbols.Count);
    }

    [Fact]
    public void LibraryFlagsNamesAndTables()
    {
        DynamicSection library = new ParsedElf(_objects[GccElfObjects.Library]).Dynamic;
        Assert.True(library.TryGetSharedObjectName(out ReadOnlySpan<byte> name));
        Assert.Equal("libosvtest.so", ParsedElf.Text(name));
        Assert.True(library.TryGetRunPath(out ReadOnlySpan<byte> runPath));
        Assert.Equal("/opt/osv/lib", ParsedElf.Text(runPath));
        Assert.False(library.TryGetRPath(out _));
        Assert.NotEqual(0UL, library.Hash);
        Assert.NotEqual(0UL, library.GnuHash);
        Assert.NotEqual(0UL, library.VersionDefinitions);

        DynamicSection hardened = new ParsedElf(_objects[GccElfObjects.Hardened]).Dynamic;
        Assert.True(hardened.IsBindNow);
        Assert.True(hardened.IsPie);
        DynamicSection plain = new ParsedElf(_objects[GccElfObjects.Pie]).Dynamic;
        Assert.False(plain.IsBindNow);
        Assert.False(plain.TryGetSharedObjectName(out _));
        Assert.False(plain.TryGetNeeded(plain.NeededCount, out _));
    }

    [Fact]
    public void LibcUsesStaticTls()
    {
        DynamicSection libc = new ParsedElf("/lib/x86_64-linux-gnu/libc.so.6").Dynamic;
        Assert.True(libc.UsesStaticTls);
        Assert.NotEqual(0UL, libc.Relr);
    }

    private static void AssertMatches(in DynamicSection dynamic, List<ReadelfDynamicEntry> expected)
    {
        Assert.Equal(expected.Count(e => e.Type != "NULL"), dynamic.EntryCount);
        var needed = expected.Where(e => e.Type == "NEEDED").Select(e => Readelf.Bracketed(e.Value)).ToList();
        Assert.Equal(needed.Count, dynamic.NeededCount);
        for (int i = 0; i < needed.Count; i++)
        {
            Assert.True(dynamic.TryGetNeeded(i, out ReadOnlySpan<byte> name));
            Assert.Equal(needed[i], ParsedElf.Text(name));
        }
        foreach (ReadelfDynamicEntry entry in expected)
        {
            switch (entry.Type)
            {
                case "SONAME":
                    Assert.True(dynamic.TryGetSharedObjectName(out ReadOnlySpan<byte> soname));
                    Assert.Equal(Readelf.Bracketed(entry.Value), ParsedElf.Text(soname));
                    break;
                case "RUNPATH":
                    Assert.True(dynamic.TryGetRunPath(out ReadOnlySpan<byte> runPath));
                    Assert.Equal(Readelf.Bracketed(entry.Value), ParsedElf.Text(runPath));
                    break;
                case "FLAGS":
                    Assert.Equal(entry.Value.Contains("BIND_NOW"), (dynamic.Flags & DynamicFlags.BindNow) != 0);
                    Assert.Equal(entry.Value.Contains("STATIC_TLS"), dynamic.UsesStaticTls);
                    break;
                case "FLAGS_1":
                    Assert.Equal(entry.Value.Split(' ').Contains("NOW"), (dynamic.Flags1 & DynamicFlags.Now1) != 0);
                    Assert.Equal(entry.Value.Split(' ').Contains("PIE"), dynamic.IsPie);
                    break;
                case "PLTREL":
                    Assert.Equal("RELA", entry.Value);
                    break;
                case "BIND_NOW":
                    Assert.True(dynamic.HasBindNowTag && dynamic.IsBindNow);
                    break;
                default:
                    if (NumericField(dynamic, entry.Type) is ulong actual)
                        Assert.True(Readelf.Number(entry.Value) == actual, $"{entry.Type}: readelf {entry.Value}, decoded 0x{actual:x}");
                    break;
            }
        }
        Assert.Equal(expected.Any(e => e.Type == "STRSZ") ? Readelf.Number(expected.Single(e => e.Type == "STRSZ").Value) : 0, dynamic.Strings.Size);
    }

    private static ulong? NumericField(in DynamicSection d, string type) => type switch
    {
        "SYMTAB" => d.SymbolTable, "GNU_HASH" => d.GnuHash, "HASH" => d.Hash,
        "VERSYM" => d.VersionSymbols, "VERDEF" => d.VersionDefinitions, "VERDEFNUM" => d.VersionDefinitionCount,
        "VERNEED" => d.VersionNeeded, "VERNEEDNUM" => d.VersionNeededCount,
        "RELA" => d.Rela, "RELASZ" => d.RelaSize, "RELACOUNT" => d.RelaCount,
        "JMPREL" => d.JumpRelocations, "PLTRELSZ" => d.PltRelocationSize, "PLTGOT" => d.PltGot,
        "RELR" => d.Relr, "RELRSZ" => d.RelrSize,
        "INIT" => d.Init, "FINI" => d.Fini, "INIT_ARRAY" => d.InitArray, "INIT_ARRAYSZ" => d.InitArraySize,
        "FINI_ARRAY" => d.FiniArray, "FINI_ARRAYSZ" => d.FiniArraySize,
        "PREINIT_ARRAY" => d.PreinitArray, "PREINIT_ARRAYSZ" => d.PreinitArraySize,
        _ => null,
    };
}
