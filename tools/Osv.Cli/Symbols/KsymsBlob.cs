using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Symbols;

/// <summary>
/// The .ksyms blob the kernel symbolizes its backtraces with. Little-endian; offsets are from
/// the start of the blob:
/// <code>
///   u32 magic ('K','S','Y','M' as bytes)   u32 count   u64 stringTableOffset
///   count x { u64 address; u32 size; u32 nameOffset }   sorted by address
///   string table: NUL-terminated names; nameOffset is relative to its start
/// </code>
/// </summary>
public static class KsymsBlob
{
    public const uint Magic = 0x4D59534B;
    public const int HeaderSize = 16;
    public const int EntrySize = 16;

    /// <summary>The pass-1 placeholder: a valid blob with no symbols.</summary>
    public static byte[] Empty => Write(Array.Empty<KernelSymbol>());

    public static byte[] Write(IReadOnlyList<KernelSymbol> symbols)
    {
        var names = new List<byte>();
        var nameOffsets = new Dictionary<string, uint>(StringComparer.Ordinal);
        var entryNameOffsets = new uint[symbols.Count];
        for (int index = 0; index < symbols.Count; index++)
        {
            if (index > 0 && symbols[index].Address < symbols[index - 1].Address)
                throw new ArgumentException("kernel symbols must be sorted by address", nameof(symbols));
            string name = symbols[index].Name;
            if (!nameOffsets.TryGetValue(name, out uint offset))
            {
                offset = (uint)names.Count;
                nameOffsets.Add(name, offset);
                names.AddRange(Encoding.UTF8.GetBytes(name));
                names.Add(0);
            }
            entryNameOffsets[index] = offset;
        }

        int stringTableOffset = HeaderSize + symbols.Count * EntrySize;
        var blob = new byte[stringTableOffset + names.Count];
        Span<byte> span = blob;
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(4), (uint)symbols.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(8), (ulong)stringTableOffset);
        for (int index = 0; index < symbols.Count; index++)
        {
            Span<byte> entry = span.Slice(HeaderSize + index * EntrySize, EntrySize);
            BinaryPrimitives.WriteUInt64LittleEndian(entry, symbols[index].Address);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(8), symbols[index].Size);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(12), entryNameOffsets[index]);
        }
        names.CopyTo(blob, stringTableOffset);
        return blob;
    }

    /// <summary>Decodes a blob (used to check what ended up in the linked image).</summary>
    public static IReadOnlyList<KernelSymbol> Read(ReadOnlySpan<byte> blob, string source)
    {
        if (blob.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(blob) != Magic)
            throw new OsvException($"{source}: not a .ksyms blob (bad magic)");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(4));
        ulong stringTableOffset = BinaryPrimitives.ReadUInt64LittleEndian(blob.Slice(8));
        if ((ulong)HeaderSize + (ulong)count * EntrySize > stringTableOffset || stringTableOffset > (ulong)blob.Length)
            throw new OsvException($"{source}: .ksyms blob is truncated");

        ReadOnlySpan<byte> strings = blob.Slice((int)stringTableOffset);
        var symbols = new List<KernelSymbol>((int)count);
        for (int index = 0; index < count; index++)
        {
            ReadOnlySpan<byte> entry = blob.Slice(HeaderSize + index * EntrySize, EntrySize);
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(12));
            int nameLength = nameOffset < strings.Length ? strings.Slice((int)nameOffset).IndexOf((byte)0) : -1;
            if (nameLength < 0)
                throw new OsvException($"{source}: .ksyms entry {index} has a bad name offset {nameOffset}");
            symbols.Add(new KernelSymbol(
                BinaryPrimitives.ReadUInt64LittleEndian(entry),
                BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8)),
                Encoding.UTF8.GetString(strings.Slice((int)nameOffset, nameLength))));
        }
        return symbols;
    }
}
