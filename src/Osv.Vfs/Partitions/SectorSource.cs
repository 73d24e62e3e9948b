using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Partitions;

/// <summary>
/// Where the reader gets sectors: slices of bytes the caller already has, or reads through a
/// <see cref="SectorReader"/> into slots of the caller's scratch buffer. The reader asks for a
/// slot by its scratch offset, so data it still needs is not overwritten.
/// </summary>
internal ref struct SectorSource
{
    private readonly ReadOnlySpan<byte> _disk;
    private readonly SectorReader _reader;
    private readonly Span<byte> _scratch;
    private readonly bool _usesReader;

    public SectorSource(ReadOnlySpan<byte> disk)
    {
        _disk = disk;
        _reader = default;
        _scratch = default;
        _usesReader = false;
    }

    public SectorSource(SectorReader reader, Span<byte> scratch)
    {
        _disk = default;
        _reader = reader;
        _scratch = scratch;
        _usesReader = true;
    }

    /// <summary>
    /// The bytes of <paramref name="sectorCount"/> sectors from <paramref name="lba"/>, or a status:
    /// <see cref="PartitionTableStatus.Truncated"/> (offset = bytes that would be needed) or
    /// <see cref="PartitionTableStatus.ReadFailed"/> (offset = where the read started).
    /// </summary>
    public PartitionTableStatus TryGet(ulong lba, ulong sectorCount, int scratchOffset, out ReadOnlySpan<byte> sectors, out ulong offset)
    {
        sectors = default;
        offset = lba * BlockSizes.Sector;
        ulong byteCount = sectorCount * BlockSizes.Sector;
        if (!_usesReader)
        {
            if (lba > (ulong)_disk.Length / BlockSizes.Sector || byteCount > (ulong)_disk.Length - offset)
            {
                offset += byteCount;
                return PartitionTableStatus.Truncated;
            }
            sectors = _disk.Slice((int)offset, (int)byteCount);
            return PartitionTableStatus.Ok;
        }
        if (scratchOffset > _scratch.Length || byteCount > (ulong)(_scratch.Length - scratchOffset))
        {
            offset = (ulong)scratchOffset + byteCount;
            return PartitionTableStatus.Truncated;
        }
        Span<byte> slot = _scratch.Slice(scratchOffset, (int)byteCount);
        if (!_reader.Read(lba, slot))
            return PartitionTableStatus.ReadFailed;
        sectors = slot;
        return PartitionTableStatus.Ok;
    }
}
