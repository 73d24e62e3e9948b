using System;
using System.Runtime.InteropServices;
using System.Text;
using Osv.Arch.X64.Boot;
using Xunit;

namespace Osv.Arch.X64.Tests;

/// <summary>
/// PvhStartInfo over hand-laid hvm_start_info structures in native memory. The structures are written
/// at the byte offsets of Xen's public header (arch-x86/hvm/start_info.h), not through a C# mirror, so
/// a wrong field order or size in the parser shows up here.
/// </summary>
public sealed unsafe class PvhStartInfoTests : IDisposable
{
    // hvm_start_info
    private const int MagicOffset = 0;
    private const int VersionOffset = 4;
    private const int FlagsOffset = 8;
    private const int ModuleCountOffset = 12;
    private const int ModuleListOffset = 16;
    private const int CommandLineOffset = 24;
    private const int RsdpOffset = 32;
    private const int MemoryMapOffset = 40;
    private const int MemoryMapEntriesOffset = 48;
    private const int StartInfoSize = 56;
    // hvm_memmap_table_entry
    private const int EntrySize = 24;

    private readonly byte* _memory;
    private const int MemorySize = 8192;

    public PvhStartInfoTests()
    {
        _memory = (byte*)NativeMemory.AllocZeroed(MemorySize);
        // Fill everything but the start_info itself with garbage, as real low memory would hold.
        NativeMemory.Fill(_memory + StartInfoSize, MemorySize - StartInfoSize, 0xA5);
    }

    public void Dispose() => NativeMemory.Free(_memory);

    private byte* StartInfo => _memory;

    private void Put32(int offset, uint value) => *(uint*)(_memory + offset) = value;
    private void Put64(int offset, ulong value) => *(ulong*)(_memory + offset) = value;

    private void WriteHeader(uint version, ulong commandLine = 0, ulong memoryMap = 0, uint entries = 0, ulong rsdp = 0)
    {
        Put32(MagicOffset, PvhStartInfo.Magic);
        Put32(VersionOffset, version);
        Put32(FlagsOffset, 0);
        Put32(ModuleCountOffset, 0);
        Put64(ModuleListOffset, 0);
        Put64(CommandLineOffset, commandLine);
        Put64(RsdpOffset, rsdp);
        Put64(MemoryMapOffset, memoryMap);
        Put32(MemoryMapEntriesOffset, entries);
        Put32(MemoryMapEntriesOffset + 4, 0);
    }

    private byte* WriteString(int offset, string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        bytes.CopyTo(new Span<byte>(_memory + offset, bytes.Length));
        _memory[offset + bytes.Length] = 0;
        return _memory + offset;
    }

    private byte* WriteMemoryMap(int offset, (ulong Address, ulong Size, uint Type)[] entries)
    {
        for (int i = 0; i < entries.Length; i++)
        {
            byte* entry = _memory + offset + i * EntrySize;
            *(ulong*)entry = entries[i].Address;
            *(ulong*)(entry + 8) = entries[i].Size;
            *(uint*)(entry + 16) = entries[i].Type;
            *(uint*)(entry + 20) = 0xDEADBEEF; // reserved: must not leak into anything
        }
        return _memory + offset;
    }

    [Fact]
    public void MagicIsTheXenValue()
    {
        Assert.Equal(0x336EC578u, PvhStartInfo.Magic);
    }

    [Fact]
    public void NullPointerIsRejected()
    {
        Assert.False(PvhStartInfo.TryRead(null, out _));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x336EC579u)]
    [InlineData(0x78C56E33u)] // the magic byte-swapped
    [InlineData(0xFFFFFFFFu)]
    public void WrongMagicIsRejected(uint magic)
    {
        WriteHeader(version: 1);
        Put32(MagicOffset, magic);
        Assert.False(PvhStartInfo.TryRead(StartInfo, out _));
    }

    [Fact]
    public void ValidHeaderIsAcceptedAndFieldsRead()
    {
        WriteHeader(version: 1, rsdp: 0x000F_5A10);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.Equal(1u, info.Version);
        Assert.Equal(0x000F_5A10UL, info.RsdpAddress);
    }

    [Fact]
    public void CommandLineStopsAtTheTerminatingNul()
    {
        byte* text = WriteString(1024, "console=ttyS0 --verbose -- /hello.so arg");
        text[41] = (byte)'X'; // bytes after the NUL must not be part of the line
        WriteHeader(version: 1, commandLine: (ulong)text);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.Equal("console=ttyS0 --verbose -- /hello.so arg", Encoding.ASCII.GetString(info.CommandLine));
    }

    [Fact]
    public void CommandLineIsEmptyWhenThePointerIsZero()
    {
        WriteHeader(version: 1, commandLine: 0);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.True(info.CommandLine.IsEmpty);
    }

    [Fact]
    public void CommandLineIsEmptyWhenTheStringIsEmpty()
    {
        byte* text = WriteString(1024, "");
        WriteHeader(version: 1, commandLine: (ulong)text);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.Equal(0, info.CommandLine.Length);
    }

    [Fact]
    public void LongCommandLineIsReadWhole()
    {
        string line = new string('a', 1500) + " " + new string('b', 1500);
        byte* text = WriteString(1024, line);
        WriteHeader(version: 1, commandLine: (ulong)text);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.Equal(line, Encoding.ASCII.GetString(info.CommandLine));
    }

    [Fact]
    public void MemoryMapEntriesAreReadInOrder()
    {
        var entries = new (ulong, ulong, uint)[]
        {
            (0x0, 0x9FC00, 1),
            (0x9FC00, 0x400, 2),
            (0xF0000, 0x10000, 2),
            (0x100000, 0x7FEE0000, 1),
            (0x7FFE0000, 0x20000, 2),
            (0xFEFFC000, 0x4000, 3),
            (0x1_0000_0000, 0x1_8000_0000, 1),
        };
        byte* map = WriteMemoryMap(2048, entries);
        WriteHeader(version: 1, memoryMap: (ulong)map, entries: (uint)entries.Length);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.Equal(entries.Length, info.MemoryRangeCount);
        for (int i = 0; i < entries.Length; i++)
        {
            MemoryRange range = info.GetMemoryRange(i);
            Assert.Equal(entries[i].Item1, range.Start);
            Assert.Equal(entries[i].Item2, range.Length);
            Assert.Equal(entries[i].Item3, range.Type);
        }
    }

    [Fact]
    public void VersionZeroHasNoMemoryMap()
    {
        // Version 0 of the structure ends before memmap_paddr: whatever follows is not a map.
        byte* map = WriteMemoryMap(2048, new (ulong, ulong, uint)[] { (0, 0x9FC00, 1), (0x100000, 0x1000000, 1) });
        WriteHeader(version: 0, memoryMap: (ulong)map, entries: 2);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.Equal(0, info.MemoryRangeCount);
    }

    [Fact]
    public void EmptyMemoryMapHasNoRanges()
    {
        WriteHeader(version: 1, memoryMap: 0, entries: 0);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.Equal(0, info.MemoryRangeCount);
    }

    [Theory]
    [InlineData(1u, true)]  // E820 RAM
    [InlineData(0u, false)]
    [InlineData(2u, false)] // reserved
    [InlineData(3u, false)] // ACPI reclaimable
    [InlineData(4u, false)] // ACPI NVS
    [InlineData(5u, false)] // bad memory
    [InlineData(7u, false)] // persistent memory
    [InlineData(0xFFFFFFFFu, false)]
    public void OnlyRamIsUsable(uint type, bool usable)
    {
        var range = new MemoryRange { Start = 0x100000, Length = 0x1000, Type = type };
        Assert.Equal(usable, range.IsUsable);
        Assert.Equal(1u, MemoryRange.Usable);
    }

    [Fact]
    public void UsabilityComesFromTheMapType()
    {
        byte* map = WriteMemoryMap(2048, new (ulong, ulong, uint)[] { (0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xFEFFC000, 0x4000, 4) });
        WriteHeader(version: 1, memoryMap: (ulong)map, entries: 3);
        Assert.True(PvhStartInfo.TryRead(StartInfo, out PvhStartInfo info));
        Assert.True(info.GetMemoryRange(0).IsUsable);
        Assert.False(info.GetMemoryRange(1).IsUsable);
        Assert.False(info.GetMemoryRange(2).IsUsable);
    }
}
