using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Osv.Cli.Elf;

/// <summary>
/// A minimal reader for little-endian ELF64 files (objects and executables): section headers,
/// section contents, the static symbol table and the dynamic one. Every read is bounds-checked, and a malformed
/// file raises <see cref="InvalidElfException"/> naming the file.
/// </summary>
public sealed class Elf64File
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const ushort FirstReservedSectionIndex = 0xff00;
    private const ushort ExtendedSectionIndex = 0xffff;

    private readonly byte[] _bytes;

    private Elf64File(byte[] bytes, string source)
    {
        _bytes = bytes;
        Source = source;
        Machine = ReadU16(0x12);
        Sections = ReadSections();
        Symbols = ReadSymbols(ElfSection.TypeSymbolTable);
        DynamicSymbols = ReadSymbols(ElfSection.TypeDynamicSymbolTable);
    }

    /// <summary>The file name (or other label) used in error messages.</summary>
    public string Source { get; }

    /// <summary>e_machine (62 is x86-64, 183 is AArch64).</summary>
    public ushort Machine { get; }

    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The .symtab entries, index 0 (the null symbol) excluded; empty if stripped.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>The .dynsym entries (what an image exports to the programs bound against it), index 0 excluded; empty without one.</summary>
    public IReadOnlyList<ElfSymbol> DynamicSymbols { get; }

    public static Elf64File Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException error)
        {
            throw new InvalidElfException(path, $"cannot read: {error.Message}");
        }
        return Parse(bytes, path);
    }

    public static Elf64File Parse(byte[] bytes, string source)
    {
        if (bytes.Length < HeaderSize || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidElfException(source, "not an ELF file");
        if (bytes[4] != 2)
            throw new InvalidElfException(source, "not a 64-bit ELF file");
        if (bytes[5] != 1)
            throw new InvalidElfException(source, "not a little-endian ELF file");
        return new Elf64File(bytes, source);
    }

    public ElfSection? FindSection(string name)
    {
        foreach (ElfSection section in Sections)
        {
            if (section.Name == name)
                return section;
        }
        return null;
    }

    /// <summary>The bytes of a section as stored in the file (empty for SHT_NOBITS).</summary>
    public ReadOnlySpan<byte> ReadSectionData(ElfSection section)
    {
        if (section.Type == ElfSection.TypeNoBits)
            return ReadOnlySpan<byte>.Empty;
        return Slice(section.FileOffset, section.Size, $"section {section.Name}");
    }

    private List<ElfSection> ReadSections()
    {
        ulong tableOffset = ReadU64(0x28);
        ushort entrySize = ReadU16(0x3a);
        ulong count = ReadU16(0x3c);
        uint namesIndex = ReadU16(0x3e);
        if (tableOffset == 0)
            return new List<ElfSection>();
        if (entrySize != SectionHeaderSize)
            throw new InvalidElfException(Source, $"unexpected section header size {entrySize}");

        // Files with many sections keep the real count and string-table index in section 0.
        if (count == 0)
            count = ReadU64(Offset(tableOffset, 32));
        if (namesIndex == ExtendedSectionIndex)
            namesIndex = ReadU32(Offset(tableOffset, 40));
        if (count > (ulong)(_bytes.Length / SectionHeaderSize))
            throw new InvalidElfException(Source, $"section count {count} does not fit in the file");

        var raw = new List<(uint NameOffset, ElfSection Section)>();
        for (int index = 0; index < (int)count; index++)
        {
            ulong header = Offset(tableOffset, (ulong)index * SectionHeaderSize);
            Slice(header, SectionHeaderSize, "section header table");
            var section = new ElfSection(
                Index: index,
                Name: "",
                Type: ReadU32(header + 4),
                Flags: ReadU64(header + 8),
                Address: ReadU64(header + 16),
                FileOffset: ReadU64(header + 24),
                Size: ReadU64(header + 32),
                Link: ReadU32(header + 40),
                EntrySize: ReadU64(header + 56));
            raw.Add((ReadU32(header), section));
        }

        if (namesIndex >= raw.Count)
            return raw.ConvertAll(entry => entry.Section);
        ReadOnlySpan<byte> names = ReadSectionData(raw[(int)namesIndex].Section);
        var sections = new List<ElfSection>(raw.Count);
        foreach ((uint nameOffset, ElfSection section) in raw)
            sections.Add(section with { Name = ReadString(names, nameOffset, "section name table") });
        return sections;
    }

    private List<ElfSymbol> ReadSymbols(uint tableType)
    {
        var symbols = new List<ElfSymbol>();
        ElfSection? table = null;
        ElfSection? extendedIndices = null;
        foreach (ElfSection section in Sections)
        {
            if (section.Type == tableType)
                table = section;
        }
        if (table == null)
            return symbols;
        foreach (ElfSection section in Sections)
        {
            if (section.Type == ElfSection.TypeSymbolTableSectionIndices && section.Link == table.Index)
                extendedIndices = section;
        }

        if (table.EntrySize != SymbolSize)
            throw new InvalidElfException(Source, $"unexpected symbol size {table.EntrySize} in {table.Name}");
        if (table.Link >= Sections.Count)
            throw new InvalidElfException(Source, $"{table.Name} links to missing string table {table.Link}");
        ReadOnlySpan<byte> entries = ReadSectionData(table);
        ReadOnlySpan<byte> names = ReadSectionData(Sections[(int)table.Link]);
        ReadOnlySpan<byte> extended = extendedIndices == null ? default : ReadSectionData(extendedIndices);

        int count = entries.Length / SymbolSize;
        for (int index = 1; index < count; index++)
        {
            ReadOnlySpan<byte> entry = entries.Slice(index * SymbolSize, SymbolSize);
            byte info = entry[4];
            uint sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(entry.Slice(6));
            bool reserved = sectionIndex >= FirstReservedSectionIndex && sectionIndex != ExtendedSectionIndex;
            if (sectionIndex == ExtendedSectionIndex)
            {
                if ((index + 1) * 4 > extended.Length)
                    throw new InvalidElfException(Source, $"symbol {index} needs an SHT_SYMTAB_SHNDX entry that is missing");
                sectionIndex = BinaryPrimitives.ReadUInt32LittleEndian(extended.Slice(index * 4));
            }
            symbols.Add(new ElfSymbol(
                Name: ReadString(names, BinaryPrimitives.ReadUInt32LittleEndian(entry), table.Name + " names"),
                Value: BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(8)),
                Size: BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(16)),
                Type: (ElfSymbolType)(info & 0xf),
                Binding: (ElfSymbolBinding)(info >> 4),
                SectionIndex: sectionIndex,
                HasReservedSectionIndex: reserved));
        }
        return symbols;
    }

    private string ReadString(ReadOnlySpan<byte> table, uint offset, string what)
    {
        if (offset >= table.Length)
        {
            if (offset == 0)
                return "";
            throw new InvalidElfException(Source, $"string offset {offset} is outside the {what}");
        }
        ReadOnlySpan<byte> rest = table.Slice((int)offset);
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidElfException(Source, $"unterminated string at offset {offset} in the {what}");
        return Encoding.UTF8.GetString(rest.Slice(0, end));
    }

    private ReadOnlySpan<byte> Slice(ulong offset, ulong length, string what)
    {
        if (offset > (ulong)_bytes.Length || length > (ulong)_bytes.Length - offset)
            throw new InvalidElfException(Source, $"{what} lies outside the file (truncated?)");
        return new ReadOnlySpan<byte>(_bytes, (int)offset, (int)length);
    }

    private ulong Offset(ulong start, ulong delta)
    {
        if (start > (ulong)_bytes.Length || delta > (ulong)_bytes.Length - start)
            throw new InvalidElfException(Source, "offset lies outside the file (truncated?)");
        return start + delta;
    }

    private ushort ReadU16(ulong offset) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(offset, 2, "header"));
    private uint ReadU32(ulong offset) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(offset, 4, "header"));
    private ulong ReadU64(ulong offset) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(offset, 8, "header"));
}
