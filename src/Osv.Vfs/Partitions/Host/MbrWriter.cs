using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Partitions.Host;

/// <summary>Writes a DOS/MBR partition table into sector 0 (the boot code area before it is left as it is).</summary>
public static class MbrWriter
{
    /// <summary>Offset of the 32-bit disk signature Linux shows as the label id.</summary>
    public const int DiskSignatureOffset = 440;

    /// <summary>Fills the table part of <paramref name="sector0"/> (bytes 440..511) with the given partitions.</summary>
    /// <exception cref="ArgumentException">More than four partitions, ranges beyond 32-bit LBAs or the disk, or overlaps.</exception>
    public static void WriteTable(Span<byte> sector0, ulong diskSectors, IReadOnlyList<MbrPartitionSpec> partitions, uint diskSignature = 0)
    {
        if (sector0.Length < BlockSizes.Sector)
            throw new ArgumentException("sector 0 needs 512 bytes", nameof(sector0));
        if (partitions.Count > MbrLayout.EntryCount)
            throw new ArgumentException($"an MBR holds {MbrLayout.EntryCount} primary partitions, {partitions.Count} given", nameof(partitions));
        Validate(partitions, diskSectors);

        sector0.Slice(DiskSignatureOffset, BlockSizes.Sector - DiskSignatureOffset).Clear();
        WriteUInt32(sector0, DiskSignatureOffset, diskSignature);
        for (int slot = 0; slot < partitions.Count; slot++)
        {
            MbrPartitionSpec partition = partitions[slot];
            Span<byte> entry = sector0.Slice(MbrLayout.EntriesOffset + slot * MbrLayout.EntrySize, MbrLayout.EntrySize);
            WriteEntry(entry, partition.StartLba, partition.SectorCount, partition.Type, partition.Bootable);
        }
        sector0[MbrLayout.SignatureOffset] = MbrLayout.Signature0;
        sector0[MbrLayout.SignatureOffset + 1] = MbrLayout.Signature1;
    }

    /// <summary>Writes sector 0 of <paramref name="disk"/> (read first, so any boot code stays).</summary>
    public static void Write(Stream disk, ulong diskSectors, IReadOnlyList<MbrPartitionSpec> partitions, uint diskSignature = 0)
    {
        byte[] sector0 = new byte[BlockSizes.Sector];
        disk.Position = 0;
        disk.ReadAtLeast(sector0, sector0.Length, throwOnEndOfStream: false);
        WriteTable(sector0, diskSectors, partitions, diskSignature);
        disk.Position = 0;
        disk.Write(sector0);
    }

    /// <summary>The protective MBR of a GPT disk: one 0xEE entry from LBA 1 over the whole disk (capped at 32 bits).</summary>
    public static void WriteProtective(Span<byte> sector0, ulong diskSectors)
    {
        sector0.Slice(DiskSignatureOffset, BlockSizes.Sector - DiskSignatureOffset).Clear();
        ulong covered = Math.Min(diskSectors - 1, uint.MaxValue);
        WriteEntry(sector0.Slice(MbrLayout.EntriesOffset, MbrLayout.EntrySize), 1, covered, MbrLayout.ProtectiveType, false);
        sector0[MbrLayout.SignatureOffset] = MbrLayout.Signature0;
        sector0[MbrLayout.SignatureOffset + 1] = MbrLayout.Signature1;
    }

    private static void Validate(IReadOnlyList<MbrPartitionSpec> partitions, ulong diskSectors)
    {
        for (int i = 0; i < partitions.Count; i++)
        {
            MbrPartitionSpec partition = partitions[i];
            string name = $"partition {i + 1}";
            if (partition.Type == 0 || partition.SectorCount == 0)
                throw new ArgumentException($"{name}: type 0 or size 0 would read back as an unused slot");
            if (partition.StartLba == 0)
                throw new ArgumentException($"{name}: starts at LBA 0, over the table");
            if (partition.StartLba > uint.MaxValue || partition.SectorCount > uint.MaxValue)
                throw new ArgumentException($"{name}: start or size beyond the 32-bit LBAs of an MBR");
            if (partition.StartLba + partition.SectorCount > diskSectors)
                throw new ArgumentException($"{name}: ends at sector {partition.StartLba + partition.SectorCount}, past the disk's {diskSectors}");
        }
        PartitionRangeCheck.RequireDisjoint(partitions.Select(p => (p.StartLba, p.SectorCount)).ToList());
    }

    private static void WriteEntry(Span<byte> entry, ulong startLba, ulong sectorCount, byte type, bool bootable)
    {
        entry[MbrLayout.StatusField] = bootable ? MbrLayout.StatusBootable : (byte)0;
        WriteChs(entry.Slice(MbrLayout.FirstChsField, 3), startLba);
        entry[MbrLayout.TypeField] = type;
        WriteChs(entry.Slice(MbrLayout.LastChsField, 3), startLba + sectorCount - 1);
        WriteUInt32(entry, MbrLayout.StartLbaField, (uint)startLba);
        WriteUInt32(entry, MbrLayout.SectorCountField, (uint)sectorCount);
    }

    /// <summary>CHS in the usual 255-head, 63-sector geometry; past cylinder 1023 the "use LBA" marker 1023/254/63.</summary>
    private static void WriteChs(Span<byte> chs, ulong lba)
    {
        const int Heads = 255, SectorsPerTrack = 63;
        ulong cylinder = lba / (Heads * SectorsPerTrack);
        ulong head = lba / SectorsPerTrack % Heads;
        ulong sector = lba % SectorsPerTrack + 1;
        if (cylinder > 1023)
        {
            cylinder = 1023;
            head = 254;
            sector = 63;
        }
        chs[0] = (byte)head;
        chs[1] = (byte)(sector | ((cylinder >> 2) & 0xC0));
        chs[2] = (byte)cylinder;
    }

    internal static void WriteUInt32(Span<byte> destination, int offset, uint value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(offset), value);
}
