using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Partitions;

/// <summary>
/// Reads the partition table of a disk of 512-byte sectors: an MBR, or a GPT when the MBR is
/// protective (has a 0xEE entry; other entries of a hybrid MBR are then ignored, as Linux does).
/// The GPT's primary header and entries are checked by CRC32; if they are damaged the backup at
/// the end of the disk is used when it can be read. Used partitions go into the caller's span in
/// table order; problems come back as a <see cref="PartitionTableResult"/>, never as exceptions.
/// Logical partitions inside an MBR extended partition are not followed (OSv does not either):
/// the extended partition is reported as one partition.
/// </summary>
public static class PartitionTableReader
{
    // Scratch layout when reading through a SectorReader: one header sector, then the entry array.
    private const int HeaderSlot = 0;
    private const int EntriesSlot = BlockSizes.Sector;

    /// <summary>
    /// Reads from bytes the caller already has: at least sector 0 for an MBR; for a GPT also the
    /// header and entry array (the first 34 sectors), and the whole disk if the backup is to be
    /// reachable when the primary is damaged.
    /// </summary>
    public static PartitionTableResult Read(ReadOnlySpan<byte> disk, ulong diskSectors, Span<Partition> output)
    {
        SectorSource source = new SectorSource(disk);
        return Read(ref source, diskSectors, output);
    }

    /// <summary>
    /// Reads through <paramref name="reader"/>. <paramref name="scratch"/> holds one sector plus
    /// the entry array: 512 + 16 KiB for a standard GPT (see <see cref="ScratchSizeForStandardGpt"/>).
    /// </summary>
    public static PartitionTableResult Read(SectorReader reader, ulong diskSectors, Span<byte> scratch, Span<Partition> output)
    {
        SectorSource source = new SectorSource(reader, scratch);
        return Read(ref source, diskSectors, output);
    }

    /// <summary>Scratch bytes a GPT of 128 entries of 128 bytes needs when read through a <see cref="SectorReader"/>.</summary>
    public const int ScratchSizeForStandardGpt = EntriesSlot + GptLayout.DefaultEntryCount * GptLayout.EntrySize;

    private static PartitionTableResult Read(ref SectorSource source, ulong diskSectors, Span<Partition> output)
    {
        if (diskSectors < 1)
            return PartitionTableResult.Failure(PartitionTableStatus.DiskTooSmall, PartitionTableKind.None, 0, 0);
        PartitionTableStatus status = source.TryGet(0, 1, HeaderSlot, out ReadOnlySpan<byte> mbr, out ulong offset);
        if (status != PartitionTableStatus.Ok)
            return PartitionTableResult.Failure(status, PartitionTableKind.None, 0, offset);
        if (mbr[MbrLayout.SignatureOffset] != MbrLayout.Signature0 || mbr[MbrLayout.SignatureOffset + 1] != MbrLayout.Signature1)
            return PartitionTableResult.Failure(PartitionTableStatus.MissingSignature, PartitionTableKind.None, 0, MbrLayout.SignatureOffset);

        for (int slot = 0; slot < MbrLayout.EntryCount; slot++)
        {
            if (mbr[MbrLayout.EntriesOffset + slot * MbrLayout.EntrySize + MbrLayout.TypeField] == MbrLayout.ProtectiveType)
                return ReadGpt(ref source, diskSectors, output);
        }
        return ReadMbr(mbr, diskSectors, output);
    }

    private static PartitionTableResult ReadMbr(ReadOnlySpan<byte> mbr, ulong diskSectors, Span<Partition> output)
    {
        // Every status byte first: anything but 0x00/0x80 means sector 0 is not an MBR (a FAT boot sector, say).
        for (int slot = 0; slot < MbrLayout.EntryCount; slot++)
        {
            int entryOffset = MbrLayout.EntriesOffset + slot * MbrLayout.EntrySize;
            byte bootIndicator = mbr[entryOffset + MbrLayout.StatusField];
            if (bootIndicator != 0 && bootIndicator != MbrLayout.StatusBootable)
                return PartitionTableResult.Failure(PartitionTableStatus.BadBootIndicator, PartitionTableKind.Mbr, slot + 1, (ulong)entryOffset);
        }

        PartitionCollector collector = new PartitionCollector(output, diskSectors);
        for (int slot = 0; slot < MbrLayout.EntryCount; slot++)
        {
            int entryOffset = MbrLayout.EntriesOffset + slot * MbrLayout.EntrySize;
            ReadOnlySpan<byte> entry = mbr.Slice(entryOffset, MbrLayout.EntrySize);
            byte type = entry[MbrLayout.TypeField];
            uint start = LittleEndianBytes.ReadUInt32(entry, MbrLayout.StartLbaField);
            uint count = LittleEndianBytes.ReadUInt32(entry, MbrLayout.SectorCountField);
            if (type == 0 || count == 0)
                continue; // unused slot, as Linux treats both
            if (start == 0)
                return PartitionTableResult.Failure(PartitionTableStatus.EntryOverlapsTable, PartitionTableKind.Mbr, slot + 1, (ulong)entryOffset);

            Partition partition = default;
            partition.Index = slot + 1;
            partition.StartLba = start;
            partition.SectorCount = count;
            partition.MbrType = type;
            partition.IsBootable = entry[MbrLayout.StatusField] == MbrLayout.StatusBootable;
            PartitionTableStatus status = collector.Add(partition);
            if (status != PartitionTableStatus.Ok)
                return EntryFailure(status, PartitionTableKind.Mbr, slot + 1, collector.OverlappedEntry, (ulong)entryOffset, false);
        }
        return new PartitionTableResult(PartitionTableStatus.Ok, PartitionTableKind.Mbr, collector.Count, 0, 0, 0, false);
    }

    private static PartitionTableResult ReadGpt(ref SectorSource source, ulong diskSectors, Span<Partition> output)
    {
        // Protective MBR, primary header and backup header at the least.
        if (diskSectors < 3)
            return PartitionTableResult.Failure(PartitionTableStatus.DiskTooSmall, PartitionTableKind.Gpt, 0, 0);
        PartitionTableResult primary = ReadGptCopy(ref source, GptLayout.PrimaryHeaderLba, diskSectors, output, false, out ulong alternateLba);
        if (!IsDamage(primary.Status))
            return primary;

        // A damaged header's pointer to its backup cannot be trusted, nor one off the disk; the last sector can.
        ulong backupLba = alternateLba > GptLayout.PrimaryHeaderLba && alternateLba < diskSectors ? alternateLba : diskSectors - 1;
        PartitionTableResult backup = ReadGptCopy(ref source, backupLba, diskSectors, output, true, out _);
        bool backupUnusable = IsDamage(backup.Status) || backup.Status == PartitionTableStatus.Truncated;
        return backupUnusable ? primary : backup;
    }

    /// <summary>Statuses after which the other GPT copy is worth trying.</summary>
    private static bool IsDamage(PartitionTableStatus status) =>
        status == PartitionTableStatus.BadGptSignature || status == PartitionTableStatus.BadGptHeader
        || status == PartitionTableStatus.BadGptHeaderCrc || status == PartitionTableStatus.BadGptEntriesCrc
        || status == PartitionTableStatus.TooManyEntries || status == PartitionTableStatus.ReadFailed;

    /// <summary>Reads one GPT copy: the header at <paramref name="headerLba"/> and the entry array it points to.</summary>
    private static PartitionTableResult ReadGptCopy(ref SectorSource source, ulong headerLba, ulong diskSectors, Span<Partition> output, bool isBackup, out ulong alternateLba)
    {
        alternateLba = 0;
        PartitionTableStatus status = source.TryGet(headerLba, 1, HeaderSlot, out ReadOnlySpan<byte> sector, out ulong offset);
        if (status != PartitionTableStatus.Ok)
            return PartitionTableResult.Failure(status, PartitionTableKind.Gpt, 0, offset);
        ulong headerOffset = headerLba * BlockSizes.Sector;
        status = GptHeader.Parse(sector, headerLba, diskSectors, out GptHeader header, out int field);
        if (status != PartitionTableStatus.Ok)
            return PartitionTableResult.Failure(status, PartitionTableKind.Gpt, 0, headerOffset + (ulong)field);
        alternateLba = header.AlternateLba;

        status = source.TryGet(header.EntriesLba, header.EntriesSectorCount, EntriesSlot, out ReadOnlySpan<byte> entries, out offset);
        if (status != PartitionTableStatus.Ok)
            return PartitionTableResult.Failure(status, PartitionTableKind.Gpt, 0, offset);
        ulong arrayOffset = header.EntriesLba * BlockSizes.Sector;
        if (Crc32.Compute(entries.Slice(0, header.EntryCount * header.EntrySize)) != header.EntriesCrc)
            return PartitionTableResult.Failure(PartitionTableStatus.BadGptEntriesCrc, PartitionTableKind.Gpt, 0, arrayOffset);

        PartitionCollector collector = new PartitionCollector(output, diskSectors);
        for (int i = 0; i < header.EntryCount; i++)
        {
            ReadOnlySpan<byte> entry = entries.Slice(i * header.EntrySize, header.EntrySize);
            GptGuid type = GptGuid.Read(entry.Slice(GptLayout.TypeGuidField));
            if (type.IsEmpty)
                continue;
            ulong entryOffset = arrayOffset + (ulong)(i * header.EntrySize);
            ulong start = LittleEndianBytes.ReadUInt64(entry, GptLayout.StartLbaField);
            ulong last = LittleEndianBytes.ReadUInt64(entry, GptLayout.EndLbaField);
            if (last < start)
                return EntryFailure(PartitionTableStatus.BadEntryRange, PartitionTableKind.Gpt, i + 1, 0, entryOffset, isBackup);
            if (last >= diskSectors)
                return EntryFailure(PartitionTableStatus.EntryPastEndOfDisk, PartitionTableKind.Gpt, i + 1, 0, entryOffset, isBackup);
            if (start < header.FirstUsableLba || last > header.LastUsableLba)
                return EntryFailure(PartitionTableStatus.EntryOverlapsTable, PartitionTableKind.Gpt, i + 1, 0, entryOffset, isBackup);

            Partition partition = default;
            partition.Index = i + 1;
            partition.StartLba = start;
            partition.SectorCount = last - start + 1;
            partition.TypeGuid = type;
            partition.UniqueGuid = GptGuid.Read(entry.Slice(GptLayout.UniqueGuidField));
            partition.GptAttributes = LittleEndianBytes.ReadUInt64(entry, GptLayout.AttributesField);
            partition.SetNameFromUtf16(entry.Slice(GptLayout.NameField, GptLayout.NameFieldSize));
            status = collector.Add(partition);
            if (status != PartitionTableStatus.Ok)
                return EntryFailure(status, PartitionTableKind.Gpt, i + 1, collector.OverlappedEntry, entryOffset, isBackup);
        }
        return new PartitionTableResult(PartitionTableStatus.Ok, PartitionTableKind.Gpt, collector.Count, 0, 0, 0, isBackup);
    }

    private static PartitionTableResult EntryFailure(PartitionTableStatus status, PartitionTableKind kind, int entry, int overlapped, ulong offset, bool usedBackup) =>
        new PartitionTableResult(status, kind, 0, entry, status == PartitionTableStatus.EntriesOverlap ? overlapped : 0, offset, usedBackup);
}
