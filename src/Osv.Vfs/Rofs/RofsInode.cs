namespace Osv.Vfs.Rofs;

/// <summary>
/// One entry of the inode table, as <see cref="RofsVolume.GetInode"/> returns it (already checked:
/// its ranges lie inside the image). What <see cref="DataOffset"/> and <see cref="Count"/> mean
/// depends on the type: a file's first data block and size in bytes; a directory's first entry
/// index and entry count; a symlink's index in the symlink table and 1.
/// </summary>
public readonly struct RofsInode
{
    public RofsInode(uint mode, ulong number, ulong dataOffset, ulong count)
    {
        Mode = mode;
        Number = number;
        DataOffset = dataOffset;
        Count = count;
    }

    public uint Mode { get; }
    public ulong Number { get; }
    public ulong DataOffset { get; }
    public ulong Count { get; }

    public uint Type => Mode & RofsLayout.ModeTypeMask;
    public bool IsDirectory => Type == RofsLayout.DirectoryMode;
    public bool IsRegularFile => Type == RofsLayout.RegularFileMode;
    public bool IsSymlink => Type == RofsLayout.SymlinkMode;

    /// <summary>A regular file's size in bytes (0 for other types).</summary>
    public ulong FileSize => IsRegularFile ? Count : 0;
}
