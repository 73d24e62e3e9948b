using System.Collections.Generic;

namespace Osv.Vfs.Rofs.Host;

/// <summary>
/// Where <see cref="RofsImageWriter"/> put things (byte offsets from the image start), for
/// diagnostics and for tests that corrupt one structure on purpose.
/// </summary>
public sealed class RofsImageLayout
{
    internal RofsImageLayout(RofsSuperblock superblock, IReadOnlyList<ulong> directoryEntryOffsets, ulong symlinksOffset,
        ulong inodeTableOffset, ulong totalBytes, IReadOnlyDictionary<string, ulong> inodeNumbers)
    {
        Superblock = superblock;
        DirectoryEntryOffsets = directoryEntryOffsets;
        SymlinksOffset = symlinksOffset;
        InodeTableOffset = inodeTableOffset;
        TotalBytes = totalBytes;
        InodeNumbers = inodeNumbers;
    }

    public RofsSuperblock Superblock { get; }

    /// <summary>Byte offset of each directory entry, by entry index.</summary>
    public IReadOnlyList<ulong> DirectoryEntryOffsets { get; }

    public ulong SymlinksOffset { get; }
    public ulong InodeTableOffset { get; }
    public ulong TotalBytes { get; }

    /// <summary>The inode number of every guest path ("/" is 1).</summary>
    public IReadOnlyDictionary<string, ulong> InodeNumbers { get; }

    /// <summary>Byte offset of inode <paramref name="number"/>'s record.</summary>
    public ulong InodeOffset(ulong number) => InodeTableOffset + (number - 1) * RofsLayout.InodeSize;
}
