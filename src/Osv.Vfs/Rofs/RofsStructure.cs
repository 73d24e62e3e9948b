namespace Osv.Vfs.Rofs;

/// <summary>Which on-disk structure a <see cref="RofsResult"/> is about.</summary>
public enum RofsStructure
{
    None,
    Superblock,
    DirectoryEntry,
    Symlink,
    Inode,
    FileData,
    /// <summary>A read the device itself failed.</summary>
    Device,
}
