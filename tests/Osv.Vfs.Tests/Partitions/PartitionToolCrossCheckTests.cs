using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Osv.Vfs.Partitions;
using Osv.Vfs.Partitions.Host;
using Osv.Vfs.Tests.Support;
using Xunit;
using static Osv.Vfs.Tests.Partitions.TestDisks;

namespace Osv.Vfs.Tests.Partitions;

/// <summary>
/// Independent oracles: util-linux sfdisk/fdisk, GPT fdisk's sgdisk and GNU parted read the tables
/// written here, and tables they write are read here. Skipped, visibly, where a tool is absent.
/// </summary>
public sealed class PartitionToolCrossCheckTests : IDisposable
{
    private const ulong DiskSectors = 16384; // 8 MiB
    private readonly string _image = Path.Combine(Path.GetTempPath(), "osv-parts-" + Guid.NewGuid().ToString("N") + ".img");

    public void Dispose() => File.Delete(_image);

    private void WriteImage(byte[] disk) => File.WriteAllBytes(_image, disk);

    private void CreateEmptyImage()
    {
        using FileStream file = File.Create(_image);
        file.SetLength((long)DiskSectors * 512);
    }

    private JsonElement SfdiskJson() =>
        JsonDocument.Parse(ExternalTool.Run("sfdisk", "--json " + _image)).RootElement.GetProperty("partitiontable");

    [FactRequiringTool("sfdisk")]
    public void SfdiskReadsTheMbrWrittenHere()
    {
        byte[] disk = new byte[DiskSectors * 512];
        MbrWriter.WriteTable(disk, DiskSectors, new[] { new MbrPartitionSpec(2048, 4096, 0x83, Bootable: true), new MbrPartitionSpec(6144, 2048, 0x0C) }, 0xA1B2C3D4);
        WriteImage(disk);

        JsonElement table = SfdiskJson();

        Assert.Equal("dos", table.GetProperty("label").GetString());
        Assert.Equal("0xa1b2c3d4", table.GetProperty("id").GetString());
        JsonElement[] partitions = table.GetProperty("partitions").EnumerateArray().ToArray();
        Assert.Equal(2, partitions.Length);
        Assert.Equal((2048, 4096, "83"), (partitions[0].GetProperty("start").GetInt64(), partitions[0].GetProperty("size").GetInt64(), partitions[0].GetProperty("type").GetString()));
        Assert.True(partitions[0].GetProperty("bootable").GetBoolean());
        Assert.Equal((6144, 2048, "c"), (partitions[1].GetProperty("start").GetInt64(), partitions[1].GetProperty("size").GetInt64(), partitions[1].GetProperty("type").GetString()));
    }

    [FactRequiringTool("sfdisk")]
    public void SfdiskReadsTheGptWrittenHere()
    {
        WriteImage(Gpt(DiskSectors, Linux(2048, 4096, "rofs", 1), new GptPartitionSpec(6144, 2048, GptGuid.EfiSystem.ToGuid(), new Guid(2, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8), "boot")));

        JsonElement table = SfdiskJson();

        Assert.Equal("gpt", table.GetProperty("label").GetString());
        Assert.Equal(DiskGuid.ToString().ToUpperInvariant(), table.GetProperty("id").GetString());
        Assert.Equal(34, table.GetProperty("firstlba").GetInt64());
        Assert.Equal((long)DiskSectors - 34, table.GetProperty("lastlba").GetInt64());
        JsonElement[] partitions = table.GetProperty("partitions").EnumerateArray().ToArray();
        Assert.Equal(2, partitions.Length);
        Assert.Equal((2048, 4096), (partitions[0].GetProperty("start").GetInt64(), partitions[0].GetProperty("size").GetInt64()));
        Assert.Equal("0FC63DAF-8483-4772-8E79-3D69D8477DE4", partitions[0].GetProperty("type").GetString());
        Assert.Equal(Linux(0, 1, unique: 1).UniqueId.ToString().ToUpperInvariant(), partitions[0].GetProperty("uuid").GetString());
        Assert.Equal("rofs", partitions[0].GetProperty("name").GetString());
        Assert.Equal("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", partitions[1].GetProperty("type").GetString());
        Assert.Equal("boot", partitions[1].GetProperty("name").GetString());
    }

    [FactRequiringTool("sgdisk")]
    public void SgdiskVerifiesTheGptWrittenHereWithoutProblems()
    {
        WriteImage(Gpt(DiskSectors, Linux(2048, 4096, "rofs", 1), Linux(6144, 2048, "zfs", 2)));

        string report = ExternalTool.Run("sgdisk", "--verify " + _image);

        Assert.Contains("No problems found", report);
    }

    [FactRequiringTool("sgdisk")]
    public void SgdiskNoticesTheDamagedPrimaryHeaderThatTheReaderRecoversFrom()
    {
        byte[] disk = Gpt(DiskSectors, Linux(2048, 4096, "rofs", 1));
        disk[512 + GptLayout.FirstUsableLbaField] ^= 1;
        WriteImage(disk);

        string report = ExternalTool.RunAllowingFailure("sgdisk", "--verify " + _image, null, out _, out string errors);
        var (result, partitions) = Read(disk);

        Assert.Contains("CRC", report + errors);
        Assert.True(result.UsedBackupGptHeader);
        Assert.Equal(2048ul, Assert.Single(partitions).StartLba);
    }

    [FactRequiringTool("fdisk")]
    public void FdiskListsTheMbrWrittenHere()
    {
        byte[] disk = new byte[DiskSectors * 512];
        MbrWriter.WriteTable(disk, DiskSectors, new[] { new MbrPartitionSpec(2048, 4096) });
        WriteImage(disk);

        string listing = ExternalTool.Run("fdisk", "-l " + _image);

        string line = listing.Split('\n').Single(l => l.StartsWith(_image + "1", StringComparison.Ordinal));
        Assert.Equal(new[] { _image + "1", "2048", "6143", "4096", "2M", "83", "Linux" }, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [FactRequiringTool("parted")]
    public void PartedPrintsTheGptWrittenHere()
    {
        WriteImage(Gpt(DiskSectors, Linux(2048, 4096, "rofs", 1)));

        string listing = ExternalTool.Run("parted", "-s -m " + _image + " unit s print");

        Assert.Contains(":gpt:", listing);
        Assert.Contains("\n1:2048s:6143s:4096s:", listing);
        Assert.Contains(":rofs:", listing);
    }

    [FactRequiringTool("sfdisk")]
    public void ReadsTheMbrWrittenBySfdisk()
    {
        CreateEmptyImage();
        ExternalTool.Run("sfdisk", "-q " + _image, "label: dos\nstart=2048, size=1024, type=83, bootable\nstart=4096, size=2048, type=c\n");

        var (result, partitions) = Read(File.ReadAllBytes(_image));

        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Mbr), (result.Status, result.Kind));
        Assert.Equal(2, partitions.Length);
        Assert.Equal((1, 2048ul, 1024ul, (byte)0x83, true), (partitions[0].Index, partitions[0].StartLba, partitions[0].SectorCount, partitions[0].MbrType, partitions[0].IsBootable));
        Assert.Equal((2, 4096ul, 2048ul, (byte)0x0C, false), (partitions[1].Index, partitions[1].StartLba, partitions[1].SectorCount, partitions[1].MbrType, partitions[1].IsBootable));
    }

    [FactRequiringTool("sfdisk")]
    public void ReadsTheGptWrittenBySfdisk()
    {
        CreateEmptyImage();
        ExternalTool.Run("sfdisk", "-q " + _image,
            "label: gpt\nstart=2048, size=1024, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"rofs\"\nstart=4096, size=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n");
        JsonElement[] expected = SfdiskJson().GetProperty("partitions").EnumerateArray().ToArray();

        var (result, partitions) = Read(File.ReadAllBytes(_image));

        Assert.Equal((PartitionTableStatus.Ok, PartitionTableKind.Gpt), (result.Status, result.Kind));
        Assert.Equal(expected.Length, partitions.Length);
        for (int i = 0; i < partitions.Length; i++)
        {
            Assert.Equal(expected[i].GetProperty("start").GetInt64(), (long)partitions[i].StartLba);
            Assert.Equal(expected[i].GetProperty("size").GetInt64(), (long)partitions[i].SectorCount);
            Assert.Equal(expected[i].GetProperty("type").GetString(), partitions[i].TypeGuid.ToString());
            Assert.Equal(expected[i].GetProperty("uuid").GetString(), partitions[i].UniqueGuid.ToString());
        }
    }

    [FactRequiringTool("sgdisk")]
    public void ReadsTheGptWrittenBySgdisk()
    {
        CreateEmptyImage();
        ExternalTool.Run("sgdisk", "--clear --new=1:2048:+2M --typecode=1:8300 --change-name=1:rofs --new=3:8192:+1M --typecode=3:ef00 " + _image);

        var (result, partitions) = Read(File.ReadAllBytes(_image));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(2, partitions.Length);
        Assert.Equal((1, 2048ul, 4096ul, "0FC63DAF-8483-4772-8E79-3D69D8477DE4"), (partitions[0].Index, partitions[0].StartLba, partitions[0].SectorCount, partitions[0].TypeGuid.ToString()));
        Assert.Equal((3, 8192ul, 2048ul, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"), (partitions[1].Index, partitions[1].StartLba, partitions[1].SectorCount, partitions[1].TypeGuid.ToString()));
    }
}
