using System;
using System.Buffers.Binary;
using Osv.Vfs.Formats;
using Osv.Vfs.Partitions;
using Osv.Vfs.Partitions.Host;
using Xunit;
using static Osv.Vfs.Tests.Partitions.TestDisks;

namespace Osv.Vfs.Tests.Partitions;

/// <summary>Reading GUID partition tables written by <see cref="GptWriter"/>, intact and damaged.</summary>
public class GptTableTests
{
    private const ulong Primary = GptLayout.PrimaryHeaderLba;

    private static byte[] TwoPartitionDisk() =>
        Gpt(SmallDiskSectors, Linux(2048, 1024, "rofs", unique: 1), Linux(3072, 512, "data", unique: 2));

    [Fact]
    public void RoundTripsPartitionsWithGuidsAndNames()
    {
        var (result, partitions) = Read(TwoPartitionDisk());

        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Gpt, false), (result.Status, result.Kind, result.UsedBackupGptHeader));
        Assert.Equal(2, partitions.Length);
        Assert.Equal((1, 2048ul, 1024ul), (partitions[0].Index, partitions[0].StartLba, partitions[0].SectorCount));
        Assert.Equal((2, 3072ul, 512ul), (partitions[1].Index, partitions[1].StartLba, partitions[1].SectorCount));
        Assert.True(partitions[0].TypeGuid.Equals(GptGuid.LinuxFilesystem));
        Assert.Equal(Linux(0, 1, unique: 2).UniqueId, partitions[1].UniqueGuid.ToGuid());
        Assert.Equal(0, partitions[0].MbrType);
        Assert.Equal("rofs", NameOf(partitions[0]));
        Assert.Equal("data", NameOf(partitions[1]));
    }

    [Fact]
    public void AFullLengthNameIsKeptWhole()
    {
        string name = new string('n', Partition.MaxNameLength);
        var (_, partitions) = Read(Gpt(SmallDiskSectors, Linux(2048, 8, name)));
        Assert.Equal(name, NameOf(Assert.Single(partitions)));
    }

    [Fact]
    public void CopyNameRefusesAShortDestination()
    {
        var (_, partitions) = Read(Gpt(SmallDiskSectors, Linux(2048, 8, "rofs")));
        Assert.Equal(-1, partitions[0].CopyName(new char[3]));
    }

    [Fact]
    public void ADamagedPrimaryHeaderFallsBackToTheBackup()
    {
        byte[] disk = TwoPartitionDisk();
        disk[(int)HeaderOffset(Primary) + GptLayout.FirstUsableLbaField] ^= 1;

        var (result, partitions) = Read(disk);

        Assert.Equal(PartitionTableStatus.Ok, result.Status);
        Assert.True(result.UsedBackupGptHeader);
        Assert.Equal(2, partitions.Length);
    }

    [Fact]
    public void BothHeadersDamagedReportsThePrimaryHeaderCrc()
    {
        byte[] disk = TwoPartitionDisk();
        disk[(int)HeaderOffset(Primary) + GptLayout.FirstUsableLbaField] ^= 1;
        disk[(int)HeaderOffset(BackupHeaderLba(disk)) + GptLayout.FirstUsableLbaField] ^= 1;

        var (result, _) = Read(disk);

        Assert.Equal(PartitionTableStatus.BadGptHeaderCrc, result.Status);
        Assert.Equal(HeaderOffset(Primary) + GptLayout.HeaderCrcField, result.Offset);
    }

    [Fact]
    public void WithOnlyTheFirstSectorsTheBackupIsOutOfReach()
    {
        byte[] disk = TwoPartitionDisk();
        disk[(int)HeaderOffset(Primary) + GptLayout.FirstUsableLbaField] ^= 1;

        var (result, _) = Read(disk.AsSpan(0, 34 * BlockSizes.Sector), SmallDiskSectors);

        Assert.Equal(PartitionTableStatus.BadGptHeaderCrc, result.Status);
    }

    [Fact]
    public void ADamagedEntryArrayFallsBackToTheBackupArray()
    {
        byte[] disk = TwoPartitionDisk();
        disk[(int)EntriesOffset(disk, Primary) + GptLayout.NameField] ^= 1;

        var (result, partitions) = Read(disk);

        Assert.True(result.Succeeded);
        Assert.True(result.UsedBackupGptHeader);
        Assert.Equal("rofs", NameOf(partitions[0]));
    }

    [Fact]
    public void ABackupPointerOffTheDiskFallsBackToTheLastSector()
    {
        byte[] disk = TwoPartitionDisk();
        SetHeaderField(disk, Primary, GptLayout.AlternateLbaField, 0xFFFFFFF0);
        disk[(int)EntriesOffset(disk, Primary) + GptLayout.NameField] ^= 1;

        var (result, _) = Read(disk);

        Assert.True(result.Succeeded, result.Message);
        Assert.True(result.UsedBackupGptHeader);
    }

    [Fact]
    public void BothEntryArraysDamagedReportsTheEntriesCrcAtThePrimaryArray()
    {
        byte[] disk = TwoPartitionDisk();
        disk[(int)EntriesOffset(disk, Primary) + GptLayout.NameField] ^= 1;
        disk[(int)EntriesOffset(disk, BackupHeaderLba(disk)) + GptLayout.NameField] ^= 1;

        var (result, _) = Read(disk);

        Assert.Equal(PartitionTableStatus.BadGptEntriesCrc, result.Status);
        Assert.Equal(2ul * BlockSizes.Sector, result.Offset);
    }

    [Fact]
    public void AProtectiveMbrWithoutAnEfiPartHeaderIsABadSignature()
    {
        byte[] disk = TwoPartitionDisk();
        disk[(int)HeaderOffset(Primary)] = (byte)'X';
        disk[(int)HeaderOffset(BackupHeaderLba(disk))] = (byte)'X';

        var (result, _) = Read(disk);

        Assert.Equal((PartitionTableStatus.BadGptSignature, PartitionTableKind.Gpt, 512ul), (result.Status, result.Kind, result.Offset));
    }

    [Fact]
    public void TooManyEntriesIsReportedAtTheCountField()
    {
        byte[] disk = TwoPartitionDisk();
        SetHeaderField(disk, Primary, GptLayout.EntryCountField, GptLayout.MaxEntryCount + 1);
        SetHeaderField(disk, BackupHeaderLba(disk), GptLayout.EntryCountField, GptLayout.MaxEntryCount + 1);

        var (result, _) = Read(disk);

        Assert.Equal(PartitionTableStatus.TooManyEntries, result.Status);
        Assert.Equal(HeaderOffset(Primary) + GptLayout.EntryCountField, result.Offset);
    }

    [Theory]
    [InlineData(GptLayout.EntrySizeField, 100u)]       // not 128 * 2^n
    [InlineData(GptLayout.EntrySizeField, 192u)]
    [InlineData(GptLayout.HeaderSizeField, 60u)]       // shorter than the 92-byte header
    [InlineData(GptLayout.MyLbaField, 7u)]             // claims to live elsewhere
    [InlineData(GptLayout.LastUsableLbaField, 5000u)]  // past the end of a 4096-sector disk
    [InlineData(GptLayout.EntriesLbaField, 40u)]       // entry array inside the usable range
    public void AnInconsistentHeaderFieldIsNamed(int field, uint value)
    {
        byte[] disk = TwoPartitionDisk();
        SetHeaderField(disk, Primary, field, value);
        SetHeaderField(disk, BackupHeaderLba(disk), field, value);

        var (result, _) = Read(disk);

        Assert.Equal(PartitionTableStatus.BadGptHeader, result.Status);
        Assert.Equal(HeaderOffset(Primary) + (ulong)field, result.Offset);
    }

    [Fact]
    public void AnEntryPastTheEndOfTheDiskIsNamed()
    {
        byte[] disk = TwoPartitionDisk();
        SetEntryField(disk, Primary, 2, GptLayout.EndLbaField, SmallDiskSectors);

        var (result, _) = Read(disk);

        Assert.Equal((PartitionTableStatus.EntryPastEndOfDisk, 2), (result.Status, result.Entry));
        Assert.Equal(EntriesOffset(disk, Primary) + GptLayout.EntrySize, result.Offset);
    }

    [Fact]
    public void AnEntryOutsideTheUsableRangeOverlapsTheTable()
    {
        byte[] disk = TwoPartitionDisk();
        SetEntryField(disk, Primary, 1, GptLayout.StartLbaField, 10);

        var (result, _) = Read(disk);

        Assert.Equal((PartitionTableStatus.EntryOverlapsTable, 1), (result.Status, result.Entry));
    }

    [Fact]
    public void AnEntryEndingBeforeItStartsIsABadRange()
    {
        byte[] disk = TwoPartitionDisk();
        SetEntryField(disk, Primary, 1, GptLayout.EndLbaField, 2000);

        var (result, _) = Read(disk);

        Assert.Equal((PartitionTableStatus.BadEntryRange, 1), (result.Status, result.Entry));
    }

    [Fact]
    public void OverlappingEntriesWithValidCrcsAreReportedNotRepaired()
    {
        byte[] disk = TwoPartitionDisk();
        SetEntryField(disk, Primary, 2, GptLayout.StartLbaField, 3000);

        var (result, _) = Read(disk);

        Assert.Equal((PartitionTableStatus.EntriesOverlap, 2, 1), (result.Status, result.Entry, result.OtherEntry));
        Assert.False(result.UsedBackupGptHeader);
    }

    [Fact]
    public void AHybridMbrIsReadAsItsGpt()
    {
        byte[] disk = TwoPartitionDisk();
        // A second MBR entry beside the 0xEE one, as hybrid-MBR tools write.
        Span<byte> entry = disk.AsSpan(MbrLayout.EntriesOffset + MbrLayout.EntrySize, MbrLayout.EntrySize);
        entry[MbrLayout.TypeField] = 0x0C;
        entry[MbrLayout.StartLbaField] = 1;

        var (result, partitions) = Read(disk);

        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Gpt), (result.Status, result.Kind));
        Assert.Equal(2, partitions.Length);
    }

    [Fact]
    public void ATwoSectorDiskIsTooSmallForAGpt()
    {
        byte[] disk = TwoPartitionDisk();
        var (result, _) = Read(disk.AsSpan(0, 1024), 2);
        Assert.Equal(PartitionTableStatus.DiskTooSmall, result.Status);
    }

    [Fact]
    public void AProtectiveEntryCappedAt32BitsIsNotCheckedAgainstTheDisk()
    {
        byte[] disk = TwoPartitionDisk();
        // Disks over 2 TiB carry 0xFFFFFFFF here; the GPT, not this entry, describes the disk.
        BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan(MbrLayout.EntriesOffset + MbrLayout.SectorCountField), uint.MaxValue);

        var (result, partitions) = Read(disk);

        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Gpt), (result.Status, result.Kind));
        Assert.Equal(2, partitions.Length);
    }

    [Fact]
    public void WithoutAProtectiveEntryTheMbrIsAuthoritative()
    {
        byte[] disk = TwoPartitionDisk();
        disk[MbrLayout.EntriesOffset + MbrLayout.TypeField] = MbrLayout.LinuxType;

        var (result, partitions) = Read(disk);

        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Mbr), (result.Status, result.Kind));
        Assert.Equal((1ul, SmallDiskSectors - 1), (Assert.Single(partitions).StartLba, partitions[0].SectorCount));
    }

    private static string NameOf(Partition partition)
    {
        char[] name = new char[Partition.MaxNameLength];
        return new string(name, 0, partition.CopyName(name));
    }
}
