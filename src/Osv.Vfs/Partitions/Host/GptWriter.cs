using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Partitions.Host;

/// <summary>
/// Writes a GUID partition table: the protective MBR in sector 0, the primary header in sector 1
/// and its entry array from sector 2; the backup entry array and header in the last sectors.
/// Both copies carry the header and entry-array CRC32s, as UEFI requires.
/// </summary>
public static class GptWriter
{
    /// <summary>Sectors the entry array takes: 32 for the standard 128 entries of 128 bytes.</summary>
    public static ulong EntryArraySectors(int entryCount) =>
        ((ulong)entryCount * GptLayout.EntrySize + BlockSizes.Sector - 1) / BlockSizes.Sector;

    /// <summary>First LBA a partition may use: after the MBR, the header and the entry array (34 for a standard table).</summary>
    public static ulong FirstUsableLba(int entryCount = GptLayout.DefaultEntryCount) => 2 + EntryArraySectors(entryCount);

    /// <summary>Last LBA a partition may use: before the backup entry array and header.</summary>
    public static ulong LastUsableLba(ulong diskSectors, int entryCount = GptLayout.DefaultEntryCount) =>
        diskSectors - 2 - EntryArraySectors(entryCount);

    /// <summary>Writes both copies of the table and the protective MBR; grows the stream to the disk size if shorter.</summary>
    /// <exception cref="ArgumentException">A partition outside the usable range, overlapping another, or with a bad name; too many partitions.</exception>
    public static void Write(Stream disk, ulong diskSectors, IReadOnlyList<GptPartitionSpec> partitions, Guid diskGuid, int entryCount = GptLayout.DefaultEntryCount)
    {
        if (entryCount < 1 || entryCount > GptLayout.MaxEntryCount)
            throw new ArgumentException($"entry count {entryCount} is outside 1..{GptLayout.MaxEntryCount}", nameof(entryCount));
        ulong arraySectors = EntryArraySectors(entryCount);
        if (diskSectors < 2 * (arraySectors + 1) + 2)
            throw new ArgumentException($"a disk of {diskSectors} sectors cannot hold two GPT copies and one sector of data", nameof(diskSectors));
        if (partitions.Count > entryCount)
            throw new ArgumentException($"{partitions.Count} partitions do not fit {entryCount} GPT entries", nameof(partitions));
        ulong firstUsable = FirstUsableLba(entryCount);
        ulong lastUsable = LastUsableLba(diskSectors, entryCount);
        Validate(partitions, firstUsable, lastUsable);

        byte[] entries = new byte[arraySectors * BlockSizes.Sector];
        for (int i = 0; i < partitions.Count; i++)
            WriteEntry(entries.AsSpan(i * GptLayout.EntrySize, GptLayout.EntrySize), partitions[i]);
        uint entriesCrc = Crc32.Compute(entries.AsSpan(0, entryCount * GptLayout.EntrySize));

        ulong backupHeaderLba = diskSectors - 1;
        ulong backupEntriesLba = backupHeaderLba - arraySectors;
        GptHeaderFields fields = new GptHeaderFields(firstUsable, lastUsable, diskGuid, entryCount, entriesCrc);
        byte[] primaryHeader = BuildHeader(fields, GptLayout.PrimaryHeaderLba, backupHeaderLba, GptLayout.PrimaryHeaderLba + 1);
        byte[] backupHeader = BuildHeader(fields, backupHeaderLba, GptLayout.PrimaryHeaderLba, backupEntriesLba);

        byte[] mbr = new byte[BlockSizes.Sector];
        MbrWriter.WriteProtective(mbr, diskSectors);

        if ((ulong)disk.Length < diskSectors * BlockSizes.Sector)
            disk.SetLength((long)(diskSectors * BlockSizes.Sector));
        WriteAt(disk, 0, mbr);
        WriteAt(disk, GptLayout.PrimaryHeaderLba, primaryHeader);
        WriteAt(disk, GptLayout.PrimaryHeaderLba + 1, entries);
        WriteAt(disk, backupEntriesLba, entries);
        WriteAt(disk, backupHeaderLba, backupHeader);
    }

    private readonly record struct GptHeaderFields(ulong FirstUsableLba, ulong LastUsableLba, Guid DiskGuid, int EntryCount, uint EntriesCrc);

    private static byte[] BuildHeader(GptHeaderFields fields, ulong myLba, ulong alternateLba, ulong entriesLba)
    {
        byte[] sector = new byte[BlockSizes.Sector];
        Span<byte> header = sector;
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(GptLayout.SignatureField), GptLayout.Signature);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.RevisionField), GptLayout.Revision1_0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.HeaderSizeField), GptLayout.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(GptLayout.MyLbaField), myLba);
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(GptLayout.AlternateLbaField), alternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(GptLayout.FirstUsableLbaField), fields.FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(GptLayout.LastUsableLbaField), fields.LastUsableLba);
        fields.DiskGuid.TryWriteBytes(header.Slice(GptLayout.DiskGuidField));
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(GptLayout.EntriesLbaField), entriesLba);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.EntryCountField), (uint)fields.EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.EntrySizeField), GptLayout.EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.EntriesCrcField), fields.EntriesCrc);
        uint headerCrc = GptHeader.ComputeHeaderCrc(header.Slice(0, GptLayout.HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.HeaderCrcField), headerCrc);
        return sector;
    }

    private static void WriteEntry(Span<byte> entry, GptPartitionSpec partition)
    {
        partition.Type.TryWriteBytes(entry.Slice(GptLayout.TypeGuidField));
        partition.UniqueId.TryWriteBytes(entry.Slice(GptLayout.UniqueGuidField));
        BinaryPrimitives.WriteUInt64LittleEndian(entry.Slice(GptLayout.StartLbaField), partition.StartLba);
        BinaryPrimitives.WriteUInt64LittleEndian(entry.Slice(GptLayout.EndLbaField), partition.StartLba + partition.SectorCount - 1);
        BinaryPrimitives.WriteUInt64LittleEndian(entry.Slice(GptLayout.AttributesField), partition.Attributes);
        Encoding.Unicode.GetBytes(partition.Name, entry.Slice(GptLayout.NameField, GptLayout.NameFieldSize));
    }

    private static void Validate(IReadOnlyList<GptPartitionSpec> partitions, ulong firstUsable, ulong lastUsable)
    {
        for (int i = 0; i < partitions.Count; i++)
        {
            GptPartitionSpec partition = partitions[i];
            string name = $"partition {i + 1}";
            if (partition.Type == Guid.Empty)
                throw new ArgumentException($"{name}: the empty type GUID marks an unused entry");
            if (partition.SectorCount == 0)
                throw new ArgumentException($"{name}: size 0");
            if (partition.StartLba < firstUsable || partition.StartLba + partition.SectorCount - 1 > lastUsable)
                throw new ArgumentException($"{name}: sectors {partition.StartLba}..{partition.StartLba + partition.SectorCount - 1} leave the usable range {firstUsable}..{lastUsable}");
            if (partition.Name.Length > Partition.MaxNameLength)
                throw new ArgumentException($"{name}: name longer than {Partition.MaxNameLength} UTF-16 code units");
        }
        PartitionRangeCheck.RequireDisjoint(partitions.Select(p => (p.StartLba, p.SectorCount)).ToList());
    }

    private static void WriteAt(Stream disk, ulong lba, byte[] data)
    {
        disk.Position = (long)(lba * BlockSizes.Sector);
        disk.Write(data);
    }
}
