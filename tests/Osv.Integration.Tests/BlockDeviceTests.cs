using System;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Osv.Vfs.Partitions.Host;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// virtio-blk end to end: disk images made here (seeded random bytes, an MBR with partition 1 at
/// 1 MiB) are attached to the test image, which reads them whole from several threads with
/// `--test=blk`; its FNV-1a 64 checksum must equal the one computed here.
/// </summary>
public sealed class BlockDeviceTests : IDisposable
{
    private const long DiskBytes = 6 << 20;
    private const ulong PartitionStart = 2048;
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("osv-blk-").FullName;

    public BlockDeviceTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A raw disk of seeded random bytes whose sector 0 holds an MBR with one partition from 1 MiB to the end.</summary>
    private (string Path, ulong Checksum) MakeDisk(int seed, long bytes = DiskBytes)
    {
        byte[] disk = new byte[bytes];
        new Random(seed).NextBytes(disk);
        ulong sectors = (ulong)bytes / 512;
        MbrWriter.WriteTable(disk.AsSpan(0, 512), sectors, new[] { new MbrPartitionSpec(PartitionStart, sectors - PartitionStart) });
        string path = Path.Combine(_directory, $"disk{seed}.img");
        File.WriteAllBytes(path, disk);
        return (path, Fnv1a64(disk));
    }

    private static ulong Fnv1a64(byte[] bytes)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in bytes)
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }

    private static ulong ReportedChecksum(VmRunResult result, string disk) =>
        Convert.ToUInt64(Kernel.Line(result, $"^{disk}: fnv1a64 0x([0-9a-f]{{16}}), peak \\d+ requests in flight").Groups[1].Value, 16);

    private static void PassedEverything(VmRunResult result, int checks)
    {
        Kernel.Line(result, $"^tests: {checks} passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task ReadsAModernDiskWholeWithTheHostsChecksumAndFindsItsPartition()
    {
        var (path, checksum) = MakeDisk(seed: 1);

        VmRunResult result = await Kernel.BootAsync(_output, "--test=blk", cpus: 2, testImage: true, disks: new[] { new DiskAttachment(path) });

        Kernel.Line(result, "^pci: configuration space through ECAM");
        Kernel.Line(result, $"^vblk0: {DiskBytes / 512} sectors, modern virtio-pci, queue \\d+, up to \\d+ requests in flight$");
        Kernel.Line(result, $"^vblk0\\.1: start {PartitionStart}, {DiskBytes / 512 - (long)PartitionStart} sectors$");
        Assert.Equal(checksum, ReportedChecksum(result, "vblk0"));
        int peak = int.Parse(Kernel.Line(result, "^vblk0: fnv1a64 .*, peak (\\d+) requests in flight").Groups[1].Value);
        Assert.True(peak > 1, $"expected several requests in flight at once, peak was {peak}");
        PassedEverything(result, 5);
        // The scratch regions were restored: the image is unchanged.
        Assert.Equal(checksum, Fnv1a64(File.ReadAllBytes(path)));
    }

    [Fact]
    public async Task TwoDisksAtOnceOneOfThemLegacy()
    {
        var first = MakeDisk(seed: 2);
        var second = MakeDisk(seed: 3, bytes: 3 << 20);

        VmRunResult result = await Kernel.BootAsync(_output, "--test=blk", testImage: true,
            disks: new[] { new DiskAttachment(first.Path, Legacy: true), new DiskAttachment(second.Path) });

        Kernel.Line(result, $"^vblk0: {DiskBytes / 512} sectors, legacy virtio-pci");
        Kernel.Line(result, $"^vblk1: {(3 << 20) / 512} sectors, modern virtio-pci");
        Kernel.Line(result, $"^vblk1\\.1: start {PartitionStart}, {(3 << 20) / 512 - (int)PartitionStart} sectors$");
        Assert.Equal(first.Checksum, ReportedChecksum(result, "vblk0"));
        Assert.Equal(second.Checksum, ReportedChecksum(result, "vblk1"));
        PassedEverything(result, 9);
    }

    [Fact]
    public async Task TheBlkSuiteFailsWithoutADiskAndOtherwiseTheKernelIgnoresDisks()
    {
        VmRunResult withoutDisk = await Kernel.BootAsync(_output, "--test=blk", testImage: true);

        Kernel.Line(withoutDisk, "^test blk: a disk is attached \\(osv run --disk FILE\\): FAILED$");
        Kernel.ExitedWith(withoutDisk, 1);
        Assert.Empty(Kernel.LinesMatching(withoutDisk, "^vblk"));

        VmRunResult plainBoot = await Kernel.BootAsync(_output, "", disks: new[] { new DiskAttachment(MakeDisk(seed: 4).Path) });

        // The random partition is no rofs: the root mount says so in one line and falls back to ramfs.
        Assert.Equal(new[] { "mount: /dev/vblk0.1 on /: rofs: bad magic", "mount: the root is a ramfs", "Booted up in", "Cmdline:" },
            new[] { plainBoot.Lines[1][..41], plainBoot.Lines[2][..26], plainBoot.Lines[3][..12], plainBoot.Lines[4][..8] });
        Kernel.ExitedWith(plainBoot, 0);
    }
}
