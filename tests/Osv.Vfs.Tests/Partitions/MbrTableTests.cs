using System;
using System.Buffers.Binary;
using Osv.Vfs.Partitions;
using Osv.Vfs.Partitions.Host;
using Xunit;
using static Osv.Vfs.Tests.Partitions.TestDisks;

namespace Osv.Vfs.Tests.Partitions;

/// <summary>Reading DOS/MBR tables written by <see cref="MbrWriter"/>, intact and damaged.</summary>
public class MbrTableTests
{
    private static int EntryOffset(int slot) => MbrLayout.EntriesOffset + (slot - 1) * MbrLayout.EntrySize;

    [Fact]
    public void RoundTripsPartitionsInSlotOrder()
    {
        byte[] disk = Mbr(SmallDiskSectors,
            new MbrPartitionSpec(2048, 1024, MbrLayout.LinuxType, Bootable: true),
            new MbrPartitionSpec(3072, 1024, 0x0C));

        var (result, partitions) = Read(disk);

        Assert.Equal(PartitionTableStatus.Ok, result.Status);
        Assert.Equal(PartitionTableKind.Mbr, result.Kind);
        Assert.Equal(2, partitions.Length);
        Assert.Equal((1, 2048ul, 1024ul, (byte)0x83, true), (partitions[0].Index, partitions[0].StartLba, partitions[0].SectorCount, partitions[0].MbrType, partitions[0].IsBootable));
        Assert.Equal((2, 3072ul, 1024ul, (byte)0x0C, false), (partitions[1].Index, partitions[1].StartLba, partitions[1].SectorCount, partitions[1].MbrType, partitions[1].IsBootable));
        Assert.True(partitions[0].TypeGuid.IsEmpty);
        Assert.Equal(0, partitions[0].NameLength);
    }

    [Fact]
    public void UnusedSlotsLeaveGapsInTheIndexes()
    {
        byte[] disk = Mbr(SmallDiskSectors, new MbrPartitionSpec(2048, 100), new MbrPartitionSpec(3000, 100));
        disk.AsSpan(EntryOffset(1), MbrLayout.EntrySize).Clear();

        var (result, partitions) = Read(disk);

        Assert.True(result.Succeeded);
        Assert.Equal(2, Assert.Single(partitions).Index);
    }

    [Fact]
    public void AnEmptyTableIsOkWithNoPartitions()
    {
        var (result, partitions) = Read(Mbr(SmallDiskSectors));
        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Mbr), (result.Status, result.Kind));
        Assert.Empty(partitions);
    }

    [Fact]
    public void MissingBootSignatureIsReportedAtOffset510()
    {
        byte[] disk = Mbr(SmallDiskSectors, new MbrPartitionSpec(2048, 100));
        disk[511] = 0x55;

        var (result, _) = Read(disk);

        Assert.Equal(PartitionTableStatus.MissingSignature, result.Status);
        Assert.Equal(510ul, result.Offset);
    }

    [Fact]
    public void AStatusByteOtherThan00Or80MeansNoMbr()
    {
        byte[] disk = Mbr(SmallDiskSectors, new MbrPartitionSpec(2048, 100));
        disk[EntryOffset(3)] = 0x12;

        var (result, _) = Read(disk);

        Assert.Equal(PartitionTableStatus.BadBootIndicator, result.Status);
        Assert.Equal((3, (ulong)EntryOffset(3)), (result.Entry, result.Offset));
    }

    [Fact]
    public void APartitionPastTheEndOfTheDiskNamesItsEntry()
    {
        byte[] disk = Mbr(SmallDiskSectors, new MbrPartitionSpec(2048, 100), new MbrPartitionSpec(3000, 1096));
        // The same bytes on a disk one sector smaller: partition 2 now ends one sector too late.
        var (result, _) = Read(disk, SmallDiskSectors - 1);

        Assert.Equal(PartitionTableStatus.EntryPastEndOfDisk, result.Status);
        Assert.Equal((2, (ulong)EntryOffset(2)), (result.Entry, result.Offset));
    }

    [Fact]
    public void OverlappingPartitionsNameBothEntries()
    {
        byte[] disk = Mbr(SmallDiskSectors, new MbrPartitionSpec(2048, 100), new MbrPartitionSpec(3000, 100));
        BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan(EntryOffset(2) + MbrLayout.StartLbaField), 2147);

        var (result, _) = Read(disk);

        Assert.Equal(PartitionTableStatus.EntriesOverlap, result.Status);
        Assert.Equal((2, 1), (result.Entry, result.OtherEntry));
    }

    [Fact]
    public void AdjacentPartitionsDoNotOverlap()
    {
        var (result, partitions) = Read(Mbr(SmallDiskSectors, new MbrPartitionSpec(2048, 100), new MbrPartitionSpec(2148, 100)));
        Assert.True(result.Succeeded);
        Assert.Equal(2, partitions.Length);
    }

    [Fact]
    public void APartitionStartingAtSectorZeroCoversTheTable()
    {
        byte[] disk = Mbr(SmallDiskSectors, new MbrPartitionSpec(2048, 100));
        BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan(EntryOffset(1) + MbrLayout.StartLbaField), 0);

        var (result, _) = Read(disk);

        Assert.Equal((PartitionTableStatus.EntryOverlapsTable, 1), (result.Status, result.Entry));
    }

    [Fact]
    public void MorePartitionsThanTheOutputHoldsIsReported()
    {
        byte[] disk = Mbr(SmallDiskSectors, new MbrPartitionSpec(100, 100), new MbrPartitionSpec(200, 100), new MbrPartitionSpec(300, 100));

        var (result, _) = Read(disk, capacity: 2);

        Assert.Equal((PartitionTableStatus.OutputTooSmall, 3), (result.Status, result.Entry));
    }

    [Fact]
    public void FewerBytesThanASectorAreTruncated()
    {
        var (result, _) = Read(Mbr(SmallDiskSectors).AsSpan(0, 511), SmallDiskSectors);
        Assert.Equal((PartitionTableStatus.Truncated, 512ul), (result.Status, result.Offset));
    }

    [Fact]
    public void AZeroSizedDiskIsTooSmall()
    {
        var (result, _) = Read(Mbr(SmallDiskSectors), 0);
        Assert.Equal(PartitionTableStatus.DiskTooSmall, result.Status);
    }

    [Fact]
    public void TheMessageNamesTheProblem()
    {
        var (result, _) = Read(new byte[512]);
        Assert.Contains("0x55AA", result.Message);
    }
}
