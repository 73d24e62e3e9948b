using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>A file's bytes pinned in memory and parsed through the file view: image, dynamic section, symbols.</summary>
public sealed unsafe class ParsedElf
{
    public readonly string Path;
    public readonly byte[] Bytes;
    public readonly ElfImage Image;
    public readonly AddressSpaceView View;
    public readonly DynamicSection Dynamic;
    public readonly DynamicSymbols Symbols;

    public ParsedElf(string path)
    {
        Path = path;
        byte[] file = File.ReadAllBytes(path);
        Bytes = GC.AllocateArray<byte>(file.Length, pinned: true);
        file.CopyTo(Bytes, 0);
        fixed (byte* data = Bytes)
            AssertOk(ElfImage.Parse(data, (ulong)Bytes.Length, ElfMachine.X86_64, out Image));
        View = AddressSpaceView.OfFile(Image);
        if (!Image.HasDynamicSection)
            return;
        ProgramHeader dynamic = Image.ProgramHeaderAt(Image.DynamicIndex);
        AssertOk(DynamicSection.Decode(View, dynamic.VirtualAddress, dynamic.FileSize, out Dynamic));
        AssertOk(DynamicSymbols.Create(Dynamic, out Symbols));
    }

    public static void AssertOk(ElfError error) =>
        Assert.True(error.IsOk, $"{error.Status} index {error.Index} offset 0x{error.Offset:x} value 0x{error.Value:x} symbol '{Text(error.SymbolName)}'");

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>
/// An object laid out as the loader maps it, in native memory standing for a run-time address of the test's
/// choosing: the segments copied, a writable memory view, and the dynamic section decoded from that memory.
/// </summary>
public sealed unsafe class LoadedElf : IDisposable
{
    public readonly ParsedElf File;
    public readonly byte* Memory;
    public readonly ulong Length;
    public readonly AddressSpaceView View;
    public readonly DynamicSection Dynamic;
    public readonly DynamicSymbols Symbols;

    public LoadedElf(ParsedElf file)
    {
        File = file;
        Length = file.Image.LoadEnd - file.Image.LoadStart;
        Memory = (byte*)NativeMemory.AlignedAlloc((nuint)Length, 4096);
        Assert.True(file.Image.CopyLoadSegments(Memory, Length));
        View = AddressSpaceView.OfMemory(Memory, file.Image.LoadStart, Length, isWritable: true);
        ProgramHeader dynamic = file.Image.ProgramHeaderAt(file.Image.DynamicIndex);
        ParsedElf.AssertOk(DynamicSection.Decode(View, dynamic.VirtualAddress, dynamic.FileSize, out Dynamic));
        ParsedElf.AssertOk(DynamicSymbols.Create(Dynamic, out Symbols));
    }

    public ulong Read64(ulong address) => *(ulong*)(Memory + (address - File.Image.LoadStart));
    public uint Read32(ulong address) => *(uint*)(Memory + (address - File.Image.LoadStart));

    public void Dispose() => NativeMemory.AlignedFree(Memory);
}
