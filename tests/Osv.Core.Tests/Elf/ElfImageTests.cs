using System;
using System.Linq;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

[Collection(ElfCollection.Name)]
public sealed class ElfImageTests
{
    private readonly GccElfObjects _objects;

    public ElfImageTests(GccElfObjects objects) => _objects = objects;

    [Theory]
    [MemberData(nameof(ElfSubjects.All), MemberType = typeof(ElfSubjects))]
    public void ProgramHeadersMatchReadelf(string subject)
    {
        string path = ElfSubjects.PathOf(_objects, subject);
        var file = new ParsedElf(path);
        var expected = Readelf.ProgramHeaders(path);
        Assert.Equal(expected.Count, file.Image.ProgramHeaderCount);
        for (int i = 0; i < expected.Count; i++)
        {
            ProgramHeader header = file.Image.ProgramHeaderAt(i);
            Assert.Equal((expected[i].Offset, expected[i].Address, expected[i].FileSize, expected[i].MemorySize),
                (header.Offset, header.VirtualAddress, header.FileSize, header.MemorySize));
        }
        Assert.Equal(expected.Count(row => row.Type == "LOAD"), file.Image.LoadCount);
        Assert.Equal(expected.Count(row => row.Type == "NOTE"), file.Image.NoteCount);
        Assert.Equal(expected.FindIndex(row => row.Type == "DYNAMIC"), file.Image.DynamicIndex);
        Assert.Equal(expected.FindIndex(row => row.Type == "INTERP"), file.Image.InterpreterIndex);
        Assert.Equal(expected.FindIndex(row => row.Type == "TLS"), file.Image.TlsIndex);
        Assert.Equal(expected.FindIndex(row => row.Type == "GNU_STACK"), file.Image.GnuStackIndex);
        Assert.Equal(expected.FindIndex(row => row.Type == "GNU_RELRO"), file.Image.RelroIndex);
        var loads = expected.Where(row => row.Type == "LOAD").ToList();
        Assert.Equal(loads[0].Address & ~0xFFFUL, file.Image.LoadStart);
        Assert.Equal((loads.Max(row => row.Address + row.MemorySize) + 0xFFF) & ~0xFFFUL, file.Image.LoadEnd);
    }

    [Fact]
    public void ApplicationsNameTheirInterpreterAndTypes()
    {
        var pie = new ParsedElf(_objects[GccElfObjects.Pie]);
        Assert.Equal("/lib64/ld-linux-x86-64.so.2", ParsedElf.Text(pie.Image.Interpreter));
        Assert.Equal(ElfFileType.SharedObject, pie.Image.Type);
        Assert.True(pie.Image.IsPositionIndependent);
        Assert.False(pie.Image.WantsExecutableStack);
        Assert.True(pie.Image.TlsIndex >= 0);

        var fixedAddress = new ParsedElf(_objects[GccElfObjects.FixedAddress]);
        Assert.Equal(ElfFileType.Executable, fixedAddress.Image.Type);
        Assert.Equal(0x400000UL, fixedAddress.Image.LoadStart);

        var staticPie = new ParsedElf(_objects[GccElfObjects.StaticPie]);
        Assert.True(staticPie.Image.Interpreter.IsEmpty);
        Assert.True(staticPie.Image.HasDynamicSection);
        Assert.Equal(0, staticPie.Dynamic.NeededCount);
    }

    [Fact]
    public void FileViewTranslatesOnlyFileBackedBytes()
    {
        var library = new ParsedElf(_objects[GccElfObjects.Library]);
        ProgramHeader writable = Enumerable.Range(0, library.Image.ProgramHeaderCount).Select(library.Image.ProgramHeaderAt)
            .Last(header => header.Type == ProgramHeaderType.Load);
        Assert.True(library.Image.TryTranslate(writable.VirtualAddress, writable.FileSize, out ulong offset));
        Assert.Equal(writable.Offset, offset);
        Assert.True(library.Image.TryTranslate(writable.VirtualAddress + 8, 8, out offset));
        Assert.Equal(writable.Offset + 8, offset);
        Assert.False(library.Image.TryTranslate(writable.VirtualAddress, writable.FileSize + 1, out _));
        Assert.False(library.Image.TryTranslate(writable.VirtualAddress + writable.MemorySize + 0x100000, 1, out _));
    }

    [Fact]
    public unsafe void CopiedSegmentsHoldFileBytesAndZeroedBss()
    {
        var pie = new ParsedElf(_objects[GccElfObjects.Pie]);
        using var loaded = new LoadedElf(pie);
        for (int i = 0; i < pie.Image.ProgramHeaderCount; i++)
        {
            ProgramHeader segment = pie.Image.ProgramHeaderAt(i);
            if (segment.Type != ProgramHeaderType.Load)
                continue;
            var memory = new ReadOnlySpan<byte>(loaded.Memory + (segment.VirtualAddress - pie.Image.LoadStart), (int)segment.MemorySize);
            Assert.True(memory[..(int)segment.FileSize].SequenceEqual(pie.Bytes.AsSpan((int)segment.Offset, (int)segment.FileSize)));
            Assert.True(memory[(int)segment.FileSize..].IndexOfAnyExcept((byte)0) < 0);
        }
        Assert.False(pie.Image.CopyLoadSegments(loaded.Memory, loaded.Length - 1));
    }

    [FactRequiringFile("/usr/bin/lua5.4")]
    public void ParsesLua() => Assert.True(new ParsedElf("/usr/bin/lua5.4").Symbols.Count > 0);
}
