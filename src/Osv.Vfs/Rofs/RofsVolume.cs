using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Rofs;

/// <summary>
/// A mounted rofs image: the checked superblock, the structure region (directory entries, symlinks,
/// inodes) held in memory as OSv holds it, and a read-around cache for file data, which stays on
/// the device. Every offset read from the image is checked before use, so a corrupt or truncated
/// image yields a <see cref="RofsResult"/> naming the structure and offset, never a wild read.
/// <para>
/// Memory comes from the allocator given to <see cref="Mount"/> and goes back on
/// <see cref="Dispose"/>. Not thread-safe: the owner serializes calls (reads update the cache).
/// </para>
/// </summary>
public sealed unsafe class RofsVolume : IDisposable
{
    /// <summary>Read-around windows a mount gets unless told otherwise (8 x 4 KiB).</summary>
    public const int DefaultCacheWindows = 8;

    /// <summary>How deep <see cref="Verify"/> follows directories before it calls the tree too deep.</summary>
    public const int MaxTreeDepth = 128;

    private readonly IBlockDevice _device;
    private readonly RofsSuperblock _superblock;
    private readonly delegate*<nuint, void*> _allocate;
    private readonly delegate*<void*, void> _free;
    private byte* _structure;
    private readonly int _structureLength;
    private readonly uint* _entryOffsets;
    private readonly uint* _symlinkOffsets;
    private readonly int _inodeTableOffset;
    private RofsReadCache _cache;

    private RofsVolume(IBlockDevice device, in RofsSuperblock superblock, delegate*<nuint, void*> allocate, delegate*<void*, void> free,
        byte* structure, uint* entryOffsets, uint* symlinkOffsets, int inodeTableOffset, in RofsReadCache cache)
    {
        _device = device;
        _superblock = superblock;
        _allocate = allocate;
        _free = free;
        _structure = structure;
        _structureLength = (int)superblock.StructureBytes;
        _entryOffsets = entryOffsets;
        _symlinkOffsets = symlinkOffsets;
        _inodeTableOffset = inodeTableOffset;
        _cache = cache;
    }

    /// <summary>
    /// Reads and checks the superblock, loads and indexes the structure region, checks the root
    /// inode, and sets up <paramref name="cacheWindows"/> read-around windows (0: no cache). On
    /// failure <paramref name="volume"/> is null and nothing stays allocated.
    /// </summary>
    /// <param name="allocate">Returns a block of at least the given size in bytes, 8-byte aligned, or null.</param>
    /// <param name="free">Frees a block <paramref name="allocate"/> returned.</param>
    public static RofsResult Mount(IBlockDevice device, delegate*<nuint, void*> allocate, delegate*<void*, void> free, int cacheWindows,
        out RofsVolume? volume)
    {
        volume = null;
        if (device.Size < RofsLayout.BlockSize)
            return RofsResult.Fail(RofsStatus.DeviceTooSmall, RofsStructure.Superblock, 0, device.Size);

        Span<byte> block = stackalloc byte[RofsLayout.BlockSize];
        int status = device.Read(0, block);
        if (status != 0)
            return RofsResult.DeviceFailure(0, status);
        RofsSuperblock superblock = RofsSuperblock.Decode(block);
        RofsResult result = superblock.Validate(device.Size);
        if (!result.IsOk)
            return result;
        if (superblock.InodeCount < RofsLayout.RootInodeNumber)
            return RofsResult.Fail(RofsStatus.RootNotDirectory, RofsStructure.Inode, RofsLayout.RootInodeNumber, superblock.StructureOffset);

        // One block: the region, then the entry and symlink offset indexes (counts are bounded by Validate).
        nuint regionBytes = (nuint)superblock.StructureBytes;
        nuint indexBytes = (nuint)(superblock.DirectoryEntryCount + superblock.SymlinkCount) * sizeof(uint);
        byte* memory = (byte*)allocate(regionBytes + indexBytes);
        if (memory == null)
            return RofsResult.Fail(RofsStatus.OutOfMemory, RofsStructure.Superblock, 0, 0);
        uint* entryOffsets = (uint*)(memory + regionBytes);
        uint* symlinkOffsets = entryOffsets + (nuint)superblock.DirectoryEntryCount;

        RofsReadCache cache = default;
        int inodeTableOffset = 0;
        status = device.Read(superblock.StructureOffset, new Span<byte>(memory, (int)regionBytes));
        result = status != 0
            ? RofsResult.DeviceFailure(superblock.StructureOffset, status)
            : IndexStructureRegion(superblock, new ReadOnlySpan<byte>(memory, (int)regionBytes), entryOffsets, symlinkOffsets, out inodeTableOffset);
        if (result.IsOk && !cache.Initialize(cacheWindows, allocate))
            result = RofsResult.Fail(RofsStatus.OutOfMemory, RofsStructure.FileData, 0, 0);
        if (!result.IsOk)
        {
            free(memory);
            return result;
        }

        var mounted = new RofsVolume(device, superblock, allocate, free, memory, entryOffsets, symlinkOffsets, inodeTableOffset, cache);
        result = mounted.GetInode(RofsLayout.RootInodeNumber, out RofsInode root);
        if (result.IsOk && !root.IsDirectory)
            result = RofsResult.Fail(RofsStatus.RootNotDirectory, RofsStructure.Inode, RofsLayout.RootInodeNumber, mounted.InodeOffset(RofsLayout.RootInodeNumber));
        if (!result.IsOk)
        {
            mounted.Dispose();
            return result;
        }
        volume = mounted;
        return RofsResult.Ok;
    }

    /// <summary>
    /// Walks the variable-length directory entries and symlinks once, recording where each starts,
    /// and finds the inode table after them; each must lie wholly inside the region.
    /// </summary>
    private static RofsResult IndexStructureRegion(in RofsSuperblock superblock, ReadOnlySpan<byte> region,
        uint* entryOffsets, uint* symlinkOffsets, out int inodeTableOffset)
    {
        inodeTableOffset = 0;
        int position = 0;
        for (ulong i = 0; i < superblock.DirectoryEntryCount; i++)
        {
            if (region.Length - position < RofsLayout.DirectoryEntryHeaderSize)
                return RofsResult.Fail(RofsStatus.DirectoryEntryTruncated, RofsStructure.DirectoryEntry, i, superblock.StructureOffset + (ulong)position);
            int nameLength = LittleEndianBytes.ReadUInt16(region, position + 8);
            if (region.Length - position - RofsLayout.DirectoryEntryHeaderSize < nameLength)
                return RofsResult.Fail(RofsStatus.DirectoryEntryTruncated, RofsStructure.DirectoryEntry, i, superblock.StructureOffset + (ulong)position);
            entryOffsets[i] = (uint)position;
            position += RofsLayout.DirectoryEntryHeaderSize + nameLength;
        }
        for (ulong i = 0; i < superblock.SymlinkCount; i++)
        {
            if (region.Length - position < RofsLayout.SymlinkHeaderSize)
                return RofsResult.Fail(RofsStatus.SymlinkTruncated, RofsStructure.Symlink, i, superblock.StructureOffset + (ulong)position);
            int targetLength = LittleEndianBytes.ReadUInt16(region, position);
            if (region.Length - position - RofsLayout.SymlinkHeaderSize < targetLength)
                return RofsResult.Fail(RofsStatus.SymlinkTruncated, RofsStructure.Symlink, i, superblock.StructureOffset + (ulong)position);
            symlinkOffsets[i] = (uint)position;
            position += RofsLayout.SymlinkHeaderSize + targetLength;
        }
        if ((ulong)(region.Length - position) / RofsLayout.InodeSize < superblock.InodeCount)
            return RofsResult.Fail(RofsStatus.InodeTableTruncated, RofsStructure.Inode, 0, superblock.StructureOffset + (ulong)position);
        inodeTableOffset = position;
        return RofsResult.Ok;
    }

    public RofsSuperblock Superblock => _superblock;

    /// <summary>File-data reads served from the read-around cache.</summary>
    public ulong CacheHits => _cache.Hits;

    /// <summary>File-data reads (or window fills) that went to the device.</summary>
    public ulong CacheMisses => _cache.Misses;

    public int CacheWindowCount => _cache.WindowCount;

    internal delegate*<nuint, void*> Allocate => _allocate;
    internal delegate*<void*, void> Free => _free;

    private ReadOnlySpan<byte> Region => new ReadOnlySpan<byte>(_structure, _structureLength);

    private ulong InodeOffset(ulong number) =>
        _superblock.StructureOffset + (ulong)_inodeTableOffset + (number - 1) * RofsLayout.InodeSize;

    private ulong EntryOffset(ulong index) => _superblock.StructureOffset + _entryOffsets[index];

    /// <summary>
    /// The inode numbered <paramref name="number"/> (1 is the root), checked: its stored number
    /// matches, its type is known, and what it points at lies inside the image.
    /// </summary>
    public RofsResult GetInode(ulong number, out RofsInode inode)
    {
        inode = default;
        if (number == 0 || number > _superblock.InodeCount)
            return RofsResult.Fail(RofsStatus.InodeNumberOutOfRange, RofsStructure.Inode, number, _superblock.StructureOffset + (ulong)_inodeTableOffset);
        ulong offset = InodeOffset(number);
        ReadOnlySpan<byte> record = Region.Slice(_inodeTableOffset + (int)(number - 1) * RofsLayout.InodeSize, RofsLayout.InodeSize);
        var candidate = new RofsInode(
            LittleEndianBytes.ReadUInt32(record, RofsLayout.InodeModeField),
            LittleEndianBytes.ReadUInt64(record, RofsLayout.InodeNumberField),
            LittleEndianBytes.ReadUInt64(record, RofsLayout.InodeDataOffsetField),
            LittleEndianBytes.ReadUInt64(record, RofsLayout.InodeCountOrSizeField));

        if (candidate.Number != number)
            return RofsResult.Fail(RofsStatus.InodeNumberMismatch, RofsStructure.Inode, number, offset);
        if (candidate.IsDirectory)
        {
            if (candidate.DataOffset > _superblock.DirectoryEntryCount || candidate.Count > _superblock.DirectoryEntryCount - candidate.DataOffset)
                return RofsResult.Fail(RofsStatus.DirectoryRangeOutOfBounds, RofsStructure.Inode, number, offset);
        }
        else if (candidate.IsSymlink)
        {
            if (candidate.DataOffset >= _superblock.SymlinkCount || candidate.Count != 1)
                return RofsResult.Fail(RofsStatus.SymlinkIndexOutOfRange, RofsStructure.Inode, number, offset);
        }
        else if (candidate.IsRegularFile)
        {
            // Data lies between the superblock and the structure region, in whole blocks.
            ulong limit = _superblock.StructureFirstBlock;
            if (candidate.DataOffset == 0 || candidate.DataOffset > limit || RofsLayout.BlocksFor(candidate.Count) > limit - candidate.DataOffset)
                return RofsResult.Fail(RofsStatus.FileDataOutOfBounds, RofsStructure.Inode, number, offset);
        }
        else
        {
            return RofsResult.Fail(RofsStatus.UnknownInodeType, RofsStructure.Inode, number, offset);
        }
        inode = candidate;
        return RofsResult.Ok;
    }

    /// <summary>Entry <paramref name="index"/> (0-based) of <paramref name="directory"/>.</summary>
    public RofsResult ReadDirectoryEntry(in RofsInode directory, ulong index, out RofsDirectoryEntry entry)
    {
        entry = default;
        if (!directory.IsDirectory)
            return RofsResult.Fail(RofsStatus.NotADirectory, RofsStructure.Inode, directory.Number, 0);
        if (index >= directory.Count)
            return RofsResult.Fail(RofsStatus.EntryIndexOutOfRange, RofsStructure.Inode, directory.Number, 0);
        // A directory from GetInode has its range inside the table, which Mount indexed.
        ulong entryIndex = directory.DataOffset + index;
        int position = (int)_entryOffsets[entryIndex];
        ReadOnlySpan<byte> region = Region;
        ulong inodeNumber = LittleEndianBytes.ReadUInt64(region, position);
        int nameLength = LittleEndianBytes.ReadUInt16(region, position + 8);
        entry = new RofsDirectoryEntry(region.Slice(position + RofsLayout.DirectoryEntryHeaderSize, nameLength), inodeNumber, entryIndex);
        return RofsResult.Ok;
    }

    /// <summary>Finds <paramref name="name"/> in <paramref name="directoryInode"/> and returns its checked inode.</summary>
    public RofsResult Lookup(in RofsInode directoryInode, ReadOnlySpan<byte> name, out RofsInode found)
    {
        RofsInode directory = directoryInode; // a path walk passes one variable as both arguments
        found = default;
        if (!directory.IsDirectory)
            return RofsResult.Fail(RofsStatus.NotADirectory, RofsStructure.Inode, directory.Number, 0);
        for (ulong i = 0; i < directory.Count; i++)
        {
            RofsResult result = ReadDirectoryEntry(directory, i, out RofsDirectoryEntry entry);
            if (!result.IsOk)
                return result;
            if (ByteSpans.Equal(entry.Name, name))
            {
                result = GetInode(entry.InodeNumber, out found);
                return result.IsOk ? result : RofsResult.Fail(result.Status, RofsStructure.DirectoryEntry, entry.Index, EntryOffset(entry.Index));
            }
        }
        return RofsResult.Fail(RofsStatus.NotFound, RofsStructure.Inode, directory.Number, 0);
    }

    /// <summary>
    /// pread: copies file bytes from <paramref name="offset"/> into <paramref name="destination"/>;
    /// fewer than asked at the end of the file, 0 at or past it.
    /// </summary>
    public RofsResult ReadFile(in RofsInode file, ulong offset, Span<byte> destination, out int bytesRead)
    {
        bytesRead = 0;
        if (!file.IsRegularFile)
            return RofsResult.Fail(RofsStatus.NotARegularFile, RofsStructure.Inode, file.Number, 0);
        if (offset >= file.Count || destination.IsEmpty)
            return RofsResult.Ok;
        ulong remaining = file.Count - offset;
        int count = remaining < (ulong)destination.Length ? (int)remaining : destination.Length;
        RofsResult result = _cache.Read(_device, file.DataOffset * RofsLayout.BlockSize + offset, destination.Slice(0, count));
        if (result.IsOk)
            bytesRead = count;
        return result;
    }

    /// <summary>The target of <paramref name="link"/>; it points into the volume's memory.</summary>
    public RofsResult ReadSymlink(in RofsInode link, out ReadOnlySpan<byte> target)
    {
        target = default;
        if (!link.IsSymlink)
            return RofsResult.Fail(RofsStatus.NotASymlink, RofsStructure.Inode, link.Number, 0);
        int position = (int)_symlinkOffsets[link.DataOffset];
        ReadOnlySpan<byte> region = Region;
        target = region.Slice(position + RofsLayout.SymlinkHeaderSize, LittleEndianBytes.ReadUInt16(region, position));
        return RofsResult.Ok;
    }

    /// <summary>Device byte offset of the symlink a checked symlink inode names.</summary>
    internal ulong SymlinkOffset(in RofsInode link) => _superblock.StructureOffset + _symlinkOffsets[link.DataOffset];

    internal ulong DirectoryEntryOffset(ulong index) => EntryOffset(index);

    /// <summary>
    /// Walks the whole tree from the root and checks what a lookup alone would not: every name is
    /// valid and unique in its directory, every inode reached is sound, symlink targets are
    /// non-empty, no directory is its own ancestor or has two parents, no entry belongs to two
    /// directories, and nesting stays within <see cref="MaxTreeDepth"/>. Sorted directories (as the
    /// writer makes them) are checked for duplicates in linear time, unsorted ones in quadratic.
    /// </summary>
    public RofsResult Verify(out RofsTreeStatistics statistics) => RofsTreeVerifier.Verify(this, out statistics);

    public void Dispose()
    {
        if (_structure == null)
            return;
        _cache.Release(_free);
        _free(_structure);
        _structure = null;
    }
}
