using System;

namespace Osv.Vfs.Vfs;

/// <summary>
/// One name a directory holds, as <see cref="Vnode.ReadDirectory"/> hands it out. <see cref="Name"/>
/// points into the file system's memory and is valid until the directory changes;
/// <see cref="NextPosition"/> is the opaque position of the entry after it.
/// </summary>
public readonly ref struct DirectoryEntry
{
    public DirectoryEntry(ReadOnlySpan<byte> name, ulong nodeId, VnodeType type, ulong nextPosition)
    {
        Name = name;
        NodeId = nodeId;
        Type = type;
        NextPosition = nextPosition;
    }

    public ReadOnlySpan<byte> Name { get; }
    public ulong NodeId { get; }
    public VnodeType Type { get; }
    public ulong NextPosition { get; }
}
