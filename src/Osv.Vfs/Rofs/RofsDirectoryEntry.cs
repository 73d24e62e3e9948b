using System;

namespace Osv.Vfs.Rofs;

/// <summary>A name in a directory and the inode it names. The name points into the volume's memory.</summary>
public readonly ref struct RofsDirectoryEntry
{
    public RofsDirectoryEntry(ReadOnlySpan<byte> name, ulong inodeNumber, ulong index)
    {
        Name = name;
        InodeNumber = inodeNumber;
        Index = index;
    }

    /// <summary>The name's raw bytes (UTF-8 by convention), without terminator.</summary>
    public ReadOnlySpan<byte> Name { get; }

    public ulong InodeNumber { get; }

    /// <summary>The entry's index in the image's directory entry table.</summary>
    public ulong Index { get; }
}
