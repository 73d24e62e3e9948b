namespace Osv.Vfs.Rofs;

/// <summary>
/// What a rofs operation found. Anything but <see cref="Ok"/> comes with a <see cref="RofsResult"/>
/// naming the structure, its index and its byte offset on the device.
/// </summary>
public enum RofsStatus
{
    Ok,

    // Device and superblock.

    /// <summary>The block device returned an error (see <see cref="RofsResult.Errno"/>).</summary>
    DeviceReadFailed,
    /// <summary>The device is smaller than one block, so there is no superblock.</summary>
    DeviceTooSmall,
    BadMagic,
    UnsupportedVersion,
    UnsupportedBlockSize,
    /// <summary>The structure region starts at block 0, overflows, or ends past the device.</summary>
    StructureRegionOutsideDevice,
    /// <summary>The structure region is larger than <see cref="RofsLayout.MaxStructureBytes"/>.</summary>
    StructureRegionTooLarge,
    /// <summary>A table's count cannot fit in the structure region.</summary>
    CountTooLarge,
    /// <summary>A directory entry runs past the end of the structure region.</summary>
    DirectoryEntryTruncated,
    /// <summary>A symlink runs past the end of the structure region.</summary>
    SymlinkTruncated,
    /// <summary>The inode table runs past the end of the structure region.</summary>
    InodeTableTruncated,
    /// <summary>There is no inode 1, or it is not a directory.</summary>
    RootNotDirectory,
    /// <summary>The memory the reader needs could not be allocated.</summary>
    OutOfMemory,

    // Inodes.

    InodeNumberOutOfRange,
    /// <summary>The inode's stored number differs from its place in the table.</summary>
    InodeNumberMismatch,
    UnknownInodeType,
    /// <summary>A directory's entry range reaches past the directory entry table.</summary>
    DirectoryRangeOutOfBounds,
    /// <summary>A symlink inode names a symlink past the table, or a count other than 1.</summary>
    SymlinkIndexOutOfRange,
    /// <summary>A file's data blocks start in the superblock or reach into the structure region.</summary>
    FileDataOutOfBounds,

    // Requests.

    NotADirectory,
    NotARegularFile,
    NotASymlink,
    /// <summary>The entry index is not below the directory's entry count.</summary>
    EntryIndexOutOfRange,
    NotFound,

    // Tree checks (Verify).

    EmptyName,
    /// <summary>A name holds '/' or NUL, or is "." or "..".</summary>
    InvalidName,
    DuplicateName,
    EmptySymlinkTarget,
    /// <summary>A symlink target holds a NUL byte.</summary>
    InvalidSymlinkTarget,
    /// <summary>A directory entry points at a directory that is its own ancestor.</summary>
    DirectoryCycle,
    /// <summary>A directory is reachable through two entries (directories have exactly one parent).</summary>
    DirectoryLinkedTwice,
    /// <summary>Two directories claim the same directory entry.</summary>
    DirectoryEntryShared,
    /// <summary>Directories nest deeper than <see cref="RofsVolume.MaxTreeDepth"/>.</summary>
    TreeTooDeep,
}
