using System;
using System.Buffers.Binary;
using System.IO;
using Osv.Vfs.Formats;
using Osv.Vfs.Partitions;
using Osv.Vfs.Partitions.Host;

namespace Osv.Vfs.Tests.Partitions;

/// <summary>Disk images in memory, written by the host writers, and ways to damage them.</summary>
internal static class TestDisks
{
    public const ulong SmallDiskSectors = 4096; // 2 MiB

    public static readonly Guid DiskGuid = new Guid("11111111-2222-3333-4444-555555555555");

    public static byte[] Mbr(ulong diskSectors, params MbrPartitionSpec[] partitions)
    {
        byte[] disk = new byte[diskSectors * BlockSizes.Sector];
        MbrWriter.WriteTable(disk, diskSectors, partitions);
        return disk;
    }

    public static byte[] Gpt(ulong diskSectors, params GptPartitionSpec[] partitions)
    {
        using MemoryStream stream = new MemoryStream();
        GptWriter.Write(stream, diskSectors, partitions, DiskGuid);
        return stream.ToArray();
    }

    public static GptPartitionSpec Linux(ulong start, ulong count, string name = "", int unique = 1) =>
        new GptPartitionSpec(start, count, GptGuid.LinuxFilesystem.ToGuid(), new Guid(unique, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8), name);

    public static (PartitionTableResult Result, Partition[] Partitions) Read(ReadOnlySpan<byte> disk, ulong? diskSectors = null, int capacity = 8)
    {
        Partition[] output = new Partition[capacity];
        PartitionTableResult result = PartitionTableReader.Read(disk, diskSectors ?? (ulong)disk.Length / BlockSizes.Sector, output);
        return (result, output[..result.Count]);
    }

    public static ulong HeaderOffset(ulong headerLba) => headerLba * BlockSizes.Sector;

    public static ulong BackupHeaderLba(byte[] disk) => (ulong)disk.Length / BlockSizes.Sector - 1;

    public static ulong EntriesOffset(byte[] disk, ulong headerLba) =>
        BinaryPrimitives.ReadUInt64LittleEndian(disk.AsSpan((int)HeaderOffset(headerLba) + GptLayout.EntriesLbaField)) * BlockSizes.Sector;

    /// <summary>Writes a header field and recomputes the header CRC, so only the field's meaning is wrong.</summary>
    public static void SetHeaderField(byte[] disk, ulong headerLba, int field, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan((int)HeaderOffset(headerLba) + field), value);
        FixHeaderCrc(disk, headerLba);
    }

    /// <summary>Changes a 64-bit field of entry <paramref name="index"/> (1-based) in one copy and fixes both CRCs of that copy.</summary>
    public static void SetEntryField(byte[] disk, ulong headerLba, int index, int field, ulong value)
    {
        int entry = (int)EntriesOffset(disk, headerLba) + (index - 1) * GptLayout.EntrySize;
        BinaryPrimitives.WriteUInt64LittleEndian(disk.AsSpan(entry + field), value);
        FixEntriesCrc(disk, headerLba);
    }

    public static void FixEntriesCrc(byte[] disk, ulong headerLba)
    {
        Span<byte> header = disk.AsSpan((int)HeaderOffset(headerLba), BlockSizes.Sector);
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(GptLayout.EntryCountField));
        int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(GptLayout.EntrySizeField));
        uint crc = Crc32.Compute(disk.AsSpan((int)EntriesOffset(disk, headerLba), count * size));
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.EntriesCrcField), crc);
        FixHeaderCrc(disk, headerLba);
    }

    public static void FixHeaderCrc(byte[] disk, ulong headerLba)
    {
        Span<byte> header = disk.AsSpan((int)HeaderOffset(headerLba), GptLayout.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.HeaderCrcField), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(GptLayout.HeaderCrcField), Crc32.Compute(header));
    }
}
