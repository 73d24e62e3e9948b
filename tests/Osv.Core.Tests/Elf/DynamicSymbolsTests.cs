using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

[Collection(ElfCollection.Name)]
public sealed class DynamicSymbolsTests
{
    private readonly GccElfObjects _objects;

    public DynamicSymbolsTests(GccElfObjects objects) => _objects = objects;

    private static readonly Dictionary<string, SymbolType> Types = new()
    {
        ["NOTYPE"] = SymbolType.NoType, ["OBJECT"] = SymbolType.Object, ["FUNC"] = SymbolType.Function,
        ["SECTION"] = SymbolType.Section, ["FILE"] = SymbolType.File, ["COMMON"] = SymbolType.Common,
        ["TLS"] = SymbolType.Tls, ["IFUNC"] = SymbolType.GnuIndirectFunction,
    };

    private static readonly Dictionary<string, SymbolBinding> Bindings = new()
    {
        ["LOCAL"] = SymbolBinding.Local, ["GLOBAL"] = SymbolBinding.Global, ["WEAK"] = SymbolBinding.Weak, ["UNIQUE"] = SymbolBinding.GnuUnique,
    };

    [Theory]
    [MemberData(nameof(ElfSubjects.All), MemberType = typeof(ElfSubjects))]
    public void EverySymbolMatchesReadelf(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        DynamicSymbols symbols = new ParsedElf(path).Symbols;
        List<ReadelfSymbol> expected = Readelf.DynamicSymbols(path);
        Assert.Equal((uint)expected.Count, symbols.Count);
        foreach (ReadelfSymbol want in expected)
        {
            Assert.True(symbols.TryGetSymbol(want.Index, out ElfSymbol got));
            Assert.Equal(want.Name, ParsedElf.Text(got.Name));
            Assert.Equal((want.Value, want.Size, Types[want.Type], Bindings[want.Binding]), (got.Value, got.Size, got.Type, got.Binding));
            Assert.Equal(want.Section == "UND", !got.IsDefined);
            if (want.Section == "ABS")
                Assert.Equal(ElfSymbol.AbsoluteSection, got.SectionIndex);
            else if (want.Section != "UND")
                Assert.Equal(ushort.Parse(want.Section), got.SectionIndex);
            bool versioned = symbols.TryGetVersion(want.Index, out SymbolVersion version);
            if (want.Version is null)
                continue;
            Assert.True(versioned, $"{want.Name}@{want.Version}");
            Assert.Equal(want.Version, ParsedElf.Text(version.Name));
            Assert.Equal(want.IsRequirement, version.IsRequirement);
            Assert.Equal(want.IsHidden, version.IsHidden);
        }
        Assert.False(symbols.TryGetSymbol(symbols.Count, out _));
    }

    [Theory]
    [MemberData(nameof(ElfSubjects.All), MemberType = typeof(ElfSubjects))]
    public void LookupFindsEveryDefinitionAndMissesAbsentNames(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        DynamicSymbols symbols = new ParsedElf(path).Symbols;
        var definitions = Readelf.DynamicSymbols(path)
            .Where(s => s.Section != "UND" && s.Binding != "LOCAL" && (s.Value != 0 || s.Type == "TLS")).ToList();
        foreach (ReadelfSymbol want in definitions)
        {
            byte[] name = Encoding.UTF8.GetBytes(want.Name);
            byte[] version = want.Version is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(want.Version);
            Assert.True(symbols.TryLookup(name, version, out ElfSymbol found), $"{want.Name}@{want.Version}");
            Assert.Equal(want.Index, found.Index);
            if (!want.IsHidden)
            {
                Assert.True(symbols.TryLookup(name, default, out ElfSymbol byDefault), want.Name);
                Assert.Equal(want.Index, byDefault.Index);
            }
        }
        foreach (string absent in new[] { "osv_no_such_symbol", "", "mallocx", "printf_", "lib_add2" })
            Assert.False(symbols.TryLookup(Encoding.UTF8.GetBytes(absent), default, out _), absent);
        foreach (ReadelfSymbol versioned in definitions.Where(s => s.Version is not null).Take(20))
            Assert.False(symbols.TryLookup(Encoding.UTF8.GetBytes(versioned.Name), Encoding.UTF8.GetBytes("NO_SUCH_VERSION"), out _));
    }

    [Theory]
    [InlineData(GccElfObjects.Library)]
    [InlineData("/lib/x86_64-linux-gnu/libc.so.6")]
    public void SysVHashAloneFindsTheSameDefinitions(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        DynamicSection dynamic = new ParsedElf(path).Dynamic;
        dynamic.GnuHash = 0;
        ParsedElf.AssertOk(DynamicSymbols.Create(dynamic, out DynamicSymbols symbols));
        Assert.False(symbols.HasGnuHash);
        Assert.True(symbols.HasSysVHash);
        var definitions = Readelf.DynamicSymbols(path).Where(s => s.Section != "UND" && (s.Value != 0 || s.Type == "TLS")).ToList();
        Assert.NotEmpty(definitions);
        foreach (ReadelfSymbol want in definitions)
        {
            byte[] version = want.Version is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(want.Version);
            Assert.True(symbols.TryLookup(Encoding.UTF8.GetBytes(want.Name), version, out ElfSymbol found), want.Name);
            Assert.Equal(want.Index, found.Index);
        }
        Assert.False(symbols.TryLookup(Encoding.UTF8.GetBytes("osv_no_such_symbol"), default, out _));
    }

    [Fact]
    public void LibraryVersionsPickDefaultAndHiddenDefinitions()
    {
        DynamicSymbols library = new ParsedElf(_objects[GccElfObjects.Library]).Symbols;
        Assert.True(library.HasGnuHash && library.HasSysVHash && library.HasVersions);
        byte[] name = Encoding.ASCII.GetBytes("lib_versioned");
        Assert.True(library.TryLookup(name, Encoding.ASCII.GetBytes("OSV_1.0"), out ElfSymbol old));
        Assert.True(library.TryLookup(name, Encoding.ASCII.GetBytes("OSV_2.0"), out ElfSymbol current));
        Assert.True(library.TryLookup(name, default, out ElfSymbol unversioned));
        Assert.NotEqual(old.Value, current.Value);
        Assert.Equal(current.Index, unversioned.Index);
        Assert.True(library.TryGetVersion(old.Index, out SymbolVersion oldVersion) && oldVersion.IsHidden);
        Assert.True(library.TryGetVersion(current.Index, out SymbolVersion newVersion) && !newVersion.IsHidden);
        Assert.True(library.TryLookup(Encoding.ASCII.GetBytes("lib_tls_counter"), default, out ElfSymbol tls));
        Assert.Equal(SymbolType.Tls, tls.Type);
        Assert.True(library.TryLookup(Encoding.ASCII.GetBytes("lib_twice"), default, out ElfSymbol ifunc));
        Assert.Equal(SymbolType.GnuIndirectFunction, ifunc.Type);
    }

    [Fact]
    public void RequirementsNameTheirLibrary()
    {
        var pie = new ParsedElf(_objects[GccElfObjects.Pie]);
        var expected = Readelf.DynamicSymbols(pie.Path).Single(s => s.Name == "lib_versioned");
        Assert.True(pie.Symbols.TryGetVersion(expected.Index, out SymbolVersion version));
        Assert.True(version.IsRequirement);
        Assert.Equal("OSV_2.0", ParsedElf.Text(version.Name));
        Assert.Equal("libosvtest.so", ParsedElf.Text(version.File));
        var weak = Readelf.DynamicSymbols(pie.Path).Single(s => s.Name == "undefined_weak_function");
        Assert.True(pie.Symbols.TryGetSymbol(weak.Index, out ElfSymbol symbol));
        Assert.Equal(SymbolBinding.Weak, symbol.Binding);
        Assert.False(symbol.IsDefined);
        Assert.False(pie.Symbols.TryLookup(Encoding.ASCII.GetBytes("undefined_weak_function"), default, out _));
    }
}
