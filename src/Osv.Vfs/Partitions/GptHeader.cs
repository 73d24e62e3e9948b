using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Partitions;

/// <summary>The fields of a GPT header the reader needs, taken from a header sector that passed every check.</summary>
internal struct GptHeader
{
    public ulong MyLba;
    public ulong AlternateLba;
    public ulong FirstUsableLba;
    public ulong LastUsableLba;
    public ulong EntriesLba;
    public int EntryCount;
    public int EntrySize;
    public uint EntriesCrc;

    public ulong EntriesSectorCount => ((ulong)EntryCount * (ulong)EntrySize + BlockSizes.Sector - 1) / BlockSizes.Sector;

    /// <summary>
    /// Checks the header sector read from <paramref name="lba"/>: signature, size, CRC32, its own
    /// LBA, the usable range and the entry array against the disk. <paramref name="fieldOffset"/>
    /// names the byte offset within the sector of the field that failed.
    /// </summary>
    public static PartitionTableStatus Parse(ReadOnlySpan<byte> sector, ulong lba, ulong diskSectors, out GptHeader header, out int fieldOffset)
    {
        header = default;
        fieldOffset = GptLayout.SignatureField;
        if (LittleEndianBytes.ReadUInt64(sector, GptLayout.SignatureField) != GptLayout.Signature)
            return PartitionTableStatus.BadGptSignature;

        fieldOffset = GptLayout.HeaderSizeField;
        uint headerSize = LittleEndianBytes.ReadUInt32(sector, GptLayout.HeaderSizeField);
        if (headerSize < GptLayout.HeaderSize || headerSize > (uint)sector.Length)
            return PartitionTableStatus.BadGptHeader;

        fieldOffset = GptLayout.HeaderCrcField;
        if (ComputeHeaderCrc(sector.Slice(0, (int)headerSize)) != LittleEndianBytes.ReadUInt32(sector, GptLayout.HeaderCrcField))
            return PartitionTableStatus.BadGptHeaderCrc;

        header.MyLba = LittleEndianBytes.ReadUInt64(sector, GptLayout.MyLbaField);
        header.AlternateLba = LittleEndianBytes.ReadUInt64(sector, GptLayout.AlternateLbaField);
        header.FirstUsableLba = LittleEndianBytes.ReadUInt64(sector, GptLayout.FirstUsableLbaField);
        header.LastUsableLba = LittleEndianBytes.ReadUInt64(sector, GptLayout.LastUsableLbaField);
        header.EntriesLba = LittleEndianBytes.ReadUInt64(sector, GptLayout.EntriesLbaField);
        uint entryCount = LittleEndianBytes.ReadUInt32(sector, GptLayout.EntryCountField);
        uint entrySize = LittleEndianBytes.ReadUInt32(sector, GptLayout.EntrySizeField);
        header.EntriesCrc = LittleEndianBytes.ReadUInt32(sector, GptLayout.EntriesCrcField);

        fieldOffset = GptLayout.MyLbaField;
        if (header.MyLba != lba)
            return PartitionTableStatus.BadGptHeader;

        fieldOffset = GptLayout.LastUsableLbaField;
        if (header.FirstUsableLba > header.LastUsableLba || header.LastUsableLba >= diskSectors)
            return PartitionTableStatus.BadGptHeader;

        fieldOffset = GptLayout.EntryCountField;
        if (entryCount > GptLayout.MaxEntryCount)
            return PartitionTableStatus.TooManyEntries;

        // 128 * 2^n, and no larger than a reader's bound.
        fieldOffset = GptLayout.EntrySizeField;
        if (entrySize < GptLayout.EntrySize || entrySize > GptLayout.MaxEntrySize || (entrySize & (entrySize - 1)) != 0)
            return PartitionTableStatus.BadGptHeader;
        header.EntryCount = (int)entryCount;
        header.EntrySize = (int)entrySize;

        // The array must lie on the disk and outside the usable range that partitions take.
        fieldOffset = GptLayout.EntriesLbaField;
        ulong arraySectors = header.EntriesSectorCount;
        if (header.EntriesLba == 0 || header.EntriesLba > diskSectors || arraySectors > diskSectors - header.EntriesLba)
            return PartitionTableStatus.BadGptHeader;
        if (header.EntriesLba <= header.LastUsableLba && header.FirstUsableLba < header.EntriesLba + arraySectors)
            return PartitionTableStatus.BadGptHeader;
        return PartitionTableStatus.Ok;
    }

    /// <summary>The header's CRC32, computed with its own CRC field taken as zero.</summary>
    public static uint ComputeHeaderCrc(ReadOnlySpan<byte> header)
    {
        uint crc = Crc32.Append(Crc32.Start, header.Slice(0, GptLayout.HeaderCrcField));
        crc = Crc32.AppendZeros(crc, 4);
        crc = Crc32.Append(crc, header.Slice(GptLayout.HeaderCrcField + 4));
        return Crc32.Finish(crc);
    }
}
