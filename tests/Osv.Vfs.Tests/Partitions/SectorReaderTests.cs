using System;
using System.Runtime.InteropServices;
using Osv.Vfs.Formats;
using Osv.Vfs.Partitions;
using Xunit;
using static Osv.Vfs.Tests.Partitions.TestDisks;

namespace Osv.Vfs.Tests.Partitions;

/// <summary>Reading through a <see cref="SectorReader"/> callback, as a block driver would serve it.</summary>
public unsafe class SectorReaderTests
{
    private struct FakeDisk
    {
        public byte* Bytes;
        public long Length;
        public int Reads;
        public ulong FailAtLba; // 0: never fail
    }

    private static bool ReadSectors(void* context, ulong lba, Span<byte> destination)
    {
        FakeDisk* disk = (FakeDisk*)context;
        disk->Reads++;
        long offset = (long)lba * BlockSizes.Sector;
        if ((disk->FailAtLba != 0 && lba == disk->FailAtLba) || offset + destination.Length > disk->Length)
            return false;
        new ReadOnlySpan<byte>(disk->Bytes + offset, destination.Length).CopyTo(destination);
        return true;
    }

    private static PartitionTableResult ReadThroughCallback(byte[] image, int scratchSize, out Partition[] partitions, ulong failAtLba = 0)
    {
        partitions = new Partition[8];
        fixed (byte* bytes = image)
        {
            FakeDisk disk = new FakeDisk { Bytes = bytes, Length = image.Length, FailAtLba = failAtLba };
            SectorReader reader = new SectorReader(&ReadSectors, &disk);
            return PartitionTableReader.Read(reader, (ulong)image.Length / BlockSizes.Sector, new byte[scratchSize], partitions);
        }
    }

    [Fact]
    public void ReadsAGptWithTheStandardScratchSize()
    {
        byte[] image = Gpt(SmallDiskSectors, Linux(2048, 1024, "rofs"));
        PartitionTableResult result = ReadThroughCallback(image, PartitionTableReader.ScratchSizeForStandardGpt, out Partition[] partitions);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(2048ul, partitions[0].StartLba);
    }

    [Fact]
    public void ReadsAnMbrWithOneSectorOfScratch()
    {
        byte[] image = Mbr(SmallDiskSectors, new Osv.Vfs.Partitions.Host.MbrPartitionSpec(2048, 100));
        PartitionTableResult result = ReadThroughCallback(image, BlockSizes.Sector, out Partition[] partitions);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(100ul, partitions[0].SectorCount);
    }

    [Fact]
    public void ScratchTooSmallForTheEntryArrayIsTruncatedWithTheSizeNeeded()
    {
        byte[] image = Gpt(SmallDiskSectors, Linux(2048, 1024));
        PartitionTableResult result = ReadThroughCallback(image, 4096, out _);
        Assert.Equal(PartitionTableStatus.Truncated, result.Status);
        Assert.Equal((ulong)PartitionTableReader.ScratchSizeForStandardGpt, result.Offset);
    }

    [Fact]
    public void AFailedReadOfThePrimaryArrayFallsBackToTheBackup()
    {
        byte[] image = Gpt(SmallDiskSectors, Linux(2048, 1024));
        PartitionTableResult result = ReadThroughCallback(image, PartitionTableReader.ScratchSizeForStandardGpt, out _, failAtLba: 2);
        Assert.True(result.Succeeded, result.Message);
        Assert.True(result.UsedBackupGptHeader);
    }

    [Fact]
    public void AFailedReadOfSectorZeroIsReported()
    {
        byte[] image = Mbr(SmallDiskSectors);
        PartitionTableResult result;
        fixed (byte* bytes = image)
        {
            FakeDisk disk = new FakeDisk { Bytes = bytes, Length = 100 };
            result = PartitionTableReader.Read(new SectorReader(&ReadSectors, &disk), SmallDiskSectors, new byte[512], new Partition[4]);
        }
        Assert.Equal((PartitionTableStatus.ReadFailed, 0ul), (result.Status, result.Offset));
    }

    [Fact]
    public void ADefaultReaderFailsInsteadOfCrashing()
    {
        PartitionTableResult result = PartitionTableReader.Read(default(SectorReader), SmallDiskSectors, new byte[512], new Partition[4]);
        Assert.Equal(PartitionTableStatus.ReadFailed, result.Status);
    }
}
