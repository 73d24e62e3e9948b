namespace Osv.Vfs.Rofs;

/// <summary>
/// The on-disk constants of rofs, shared by the reader and the host writer so both speak one
/// format (docs/rofs-format.md describes it byte by byte). Integers are little-endian.
/// </summary>
public static class RofsLayout
{
    public const ulong Magic = 0xDEADBEAD;
    public const ulong Version = 1;
    public const int BlockSize = 512;

    /// <summary>Eight u64 fields at the start of block 0; the rest of the block is zero.</summary>
    public const int SuperblockSize = 64;

    /// <summary>u64 mode (low 32 bits used), u64 inode number, u64 data offset, u64 count.</summary>
    public const int InodeSize = 32;

    /// <summary>u64 inode number and u16 name length, then the name's bytes.</summary>
    public const int DirectoryEntryHeaderSize = 10;

    /// <summary>u16 target length, then the target's bytes.</summary>
    public const int SymlinkHeaderSize = 2;

    /// <summary>Names and symlink targets carry a u16 length.</summary>
    public const int MaxNameLength = ushort.MaxValue;

    /// <summary>Inode numbers start at 1; inode n is entry n - 1 of the inode table.</summary>
    public const ulong RootInodeNumber = 1;

    public const uint ModeTypeMask = 0xF000;
    public const uint DirectoryMode = 0x4000;
    public const uint RegularFileMode = 0x8000;
    public const uint SymlinkMode = 0xA000;

    /// <summary>
    /// The reader keeps the structure region (entries, symlinks, inodes) in memory; a superblock
    /// asking for more than this is refused rather than trusted (it keeps offsets in 32 bits too).
    /// </summary>
    public const ulong MaxStructureBytes = 1UL << 30;

    // Superblock field offsets (also the Index of a superblock RofsResult).
    public const int MagicField = 0;
    public const int VersionField = 8;
    public const int BlockSizeField = 16;
    public const int StructureFirstBlockField = 24;
    public const int StructureBlockCountField = 32;
    public const int DirectoryEntryCountField = 40;
    public const int SymlinkCountField = 48;
    public const int InodeCountField = 56;

    // Inode field offsets.
    public const int InodeModeField = 0;
    public const int InodeNumberField = 8;
    public const int InodeDataOffsetField = 16;
    public const int InodeCountOrSizeField = 24;

    /// <summary>Blocks needed for <paramref name="bytes"/> bytes.</summary>
    public static ulong BlocksFor(ulong bytes) => bytes / BlockSize + (bytes % BlockSize == 0 ? 0UL : 1UL);
}
