using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Rofs;

/// <summary>
/// Block 0 of a rofs image: magic, version, block size, where the structure region (directory
/// entries, then symlinks, then inodes) lies, and how many of each it holds.
/// </summary>
public readonly struct RofsSuperblock
{
    public RofsSuperblock(ulong magic, ulong version, ulong blockSize, ulong structureFirstBlock, ulong structureBlockCount,
        ulong directoryEntryCount, ulong symlinkCount, ulong inodeCount)
    {
        Magic = magic;
        Version = version;
        BlockSize = blockSize;
        StructureFirstBlock = structureFirstBlock;
        StructureBlockCount = structureBlockCount;
        DirectoryEntryCount = directoryEntryCount;
        SymlinkCount = symlinkCount;
        InodeCount = inodeCount;
    }

    public ulong Magic { get; }
    public ulong Version { get; }
    public ulong BlockSize { get; }
    public ulong StructureFirstBlock { get; }
    public ulong StructureBlockCount { get; }
    public ulong DirectoryEntryCount { get; }
    public ulong SymlinkCount { get; }
    public ulong InodeCount { get; }

    /// <summary>Byte offset of the structure region on the device.</summary>
    public ulong StructureOffset => StructureFirstBlock * RofsLayout.BlockSize;

    public ulong StructureBytes => StructureBlockCount * RofsLayout.BlockSize;

    public static RofsSuperblock Decode(ReadOnlySpan<byte> block) => new RofsSuperblock(
        LittleEndianBytes.ReadUInt64(block, RofsLayout.MagicField),
        LittleEndianBytes.ReadUInt64(block, RofsLayout.VersionField),
        LittleEndianBytes.ReadUInt64(block, RofsLayout.BlockSizeField),
        LittleEndianBytes.ReadUInt64(block, RofsLayout.StructureFirstBlockField),
        LittleEndianBytes.ReadUInt64(block, RofsLayout.StructureBlockCountField),
        LittleEndianBytes.ReadUInt64(block, RofsLayout.DirectoryEntryCountField),
        LittleEndianBytes.ReadUInt64(block, RofsLayout.SymlinkCountField),
        LittleEndianBytes.ReadUInt64(block, RofsLayout.InodeCountField));

    public void Encode(Span<byte> block)
    {
        LittleEndianBytes.WriteUInt64(block, RofsLayout.MagicField, Magic);
        LittleEndianBytes.WriteUInt64(block, RofsLayout.VersionField, Version);
        LittleEndianBytes.WriteUInt64(block, RofsLayout.BlockSizeField, BlockSize);
        LittleEndianBytes.WriteUInt64(block, RofsLayout.StructureFirstBlockField, StructureFirstBlock);
        LittleEndianBytes.WriteUInt64(block, RofsLayout.StructureBlockCountField, StructureBlockCount);
        LittleEndianBytes.WriteUInt64(block, RofsLayout.DirectoryEntryCountField, DirectoryEntryCount);
        LittleEndianBytes.WriteUInt64(block, RofsLayout.SymlinkCountField, SymlinkCount);
        LittleEndianBytes.WriteUInt64(block, RofsLayout.InodeCountField, InodeCount);
    }

    /// <summary>
    /// Checks the fields against the format and a device of <paramref name="deviceSize"/> bytes:
    /// magic, version, block size, the structure region inside the device (after block 0) and no
    /// larger than <see cref="RofsLayout.MaxStructureBytes"/>, and counts that could fit in it.
    /// The result's index is the offending field's offset in the superblock.
    /// </summary>
    public RofsResult Validate(ulong deviceSize)
    {
        if (Magic != RofsLayout.Magic)
            return Field(RofsStatus.BadMagic, RofsLayout.MagicField);
        if (Version != RofsLayout.Version)
            return Field(RofsStatus.UnsupportedVersion, RofsLayout.VersionField);
        if (BlockSize != RofsLayout.BlockSize)
            return Field(RofsStatus.UnsupportedBlockSize, RofsLayout.BlockSizeField);

        ulong deviceBlocks = deviceSize / RofsLayout.BlockSize;
        if (StructureFirstBlock == 0 || StructureFirstBlock > deviceBlocks)
            return Field(RofsStatus.StructureRegionOutsideDevice, RofsLayout.StructureFirstBlockField);
        if (StructureBlockCount > deviceBlocks - StructureFirstBlock)
            return Field(RofsStatus.StructureRegionOutsideDevice, RofsLayout.StructureBlockCountField);
        if (StructureBlockCount > RofsLayout.MaxStructureBytes / RofsLayout.BlockSize)
            return Field(RofsStatus.StructureRegionTooLarge, RofsLayout.StructureBlockCountField);

        // Cheap upper bounds (every record has a header) keep a hostile count from sizing an allocation.
        ulong bytes = StructureBytes;
        if (DirectoryEntryCount > bytes / RofsLayout.DirectoryEntryHeaderSize)
            return Field(RofsStatus.CountTooLarge, RofsLayout.DirectoryEntryCountField);
        if (SymlinkCount > bytes / RofsLayout.SymlinkHeaderSize)
            return Field(RofsStatus.CountTooLarge, RofsLayout.SymlinkCountField);
        if (InodeCount > bytes / RofsLayout.InodeSize)
            return Field(RofsStatus.CountTooLarge, RofsLayout.InodeCountField);
        return RofsResult.Ok;
    }

    private static RofsResult Field(RofsStatus status, int fieldOffset) =>
        RofsResult.Fail(status, RofsStructure.Superblock, (ulong)fieldOffset, (ulong)fieldOffset);
}
