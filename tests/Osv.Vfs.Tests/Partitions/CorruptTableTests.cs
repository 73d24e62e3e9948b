using System;
using Osv.Vfs.Partitions;
using Xunit;
using static Osv.Vfs.Tests.Partitions.TestDisks;

namespace Osv.Vfs.Tests.Partitions;

/// <summary>Random damage never makes the reader throw or report partitions outside the disk.</summary>
public class CorruptTableTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomByteFlipsNeverThrow(bool gpt)
    {
        byte[] original = gpt
            ? Gpt(SmallDiskSectors, Linux(2048, 1024, "rofs", 1), Linux(3072, 512, "zfs", 2))
            : Mbr(SmallDiskSectors, new Osv.Vfs.Partitions.Host.MbrPartitionSpec(2048, 1024), new Osv.Vfs.Partitions.Host.MbrPartitionSpec(3072, 512));
        Random random = new Random(gpt ? 1 : 2);
        int failures = 0;
        for (int round = 0; round < 400; round++)
        {
            byte[] disk = (byte[])original.Clone();
            int flips = random.Next(1, 6);
            for (int i = 0; i < flips; i++)
            {
                // Mostly inside the table sectors, where damage matters.
                int sector = random.Next(4) == 0 ? (int)SmallDiskSectors - 1 - random.Next(33) : random.Next(3);
                disk[sector * 512 + random.Next(512)] ^= (byte)(1 << random.Next(8));
            }
            var (result, partitions) = Read(disk);
            if (!result.Succeeded)
                failures++;
            foreach (Partition partition in partitions)
                Assert.True(partition.EndLba <= SmallDiskSectors && partition.SectorCount > 0);
        }
        Assert.True(failures > 0, "some damage must be detected");
    }

    [Fact]
    public void ArbitraryBytesNeverThrow()
    {
        Random random = new Random(3);
        byte[] disk = new byte[64 * 512];
        for (int round = 0; round < 300; round++)
        {
            random.NextBytes(disk);
            disk[510] = 0x55;
            disk[511] = 0xAA;
            if (round % 2 == 0)
                disk[446 + 4] = MbrLayout.ProtectiveType;
            Read(disk, (ulong)random.Next(0, 200));
        }
    }
}
