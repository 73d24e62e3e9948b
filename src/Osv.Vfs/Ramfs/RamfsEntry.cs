using System;

namespace Osv.Vfs.Ramfs;

/// <summary>
/// A name in a ramfs directory: the name's bytes (allocator memory), the node, and a serial that
/// orders entries for getdents — serials only grow, so removing an entry never moves a reader.
/// </summary>
internal sealed unsafe class RamfsEntry
{
    public byte* Name;
    public int NameLength;
    public RamfsNode Node;
    public ulong Serial;
    public RamfsEntry? Next;

    public RamfsEntry(byte* name, int nameLength, RamfsNode node, ulong serial)
    {
        Name = name;
        NameLength = nameLength;
        Node = node;
        Serial = serial;
    }

    public ReadOnlySpan<byte> NameSpan => new ReadOnlySpan<byte>(Name, NameLength);
}
