using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Osv.Cli.Images;
using Osv.Cli.Qemu;
using Osv.Vfs.Images.Host;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// File systems in the kernel end to end: usr.img disks built here with the `osv build --manifest`
/// code (seeded random file contents, nested directories, symlinks) are mounted by the test image,
/// whose `--test=vfs` prints each rofs tree with FNV-1a 64 hashes; the lines must be exactly the
/// tree computed on the host. Damaged images must produce one clear mount line, not a panic.
/// </summary>
public sealed class FileSystemTests : IDisposable
{
    /// <summary>The `--test=vfs` checks, in order (`--test=all` runs them too: ThreadTests).</summary>
    public static readonly string[] ExpectedVfsTests =
    {
        "descriptor 1 is /dev/console",
        "ramfs /tmp: write, read back, lseek, pread/pwrite, ftruncate, stat, readv/writev",
        "ramfs /tmp: mkdir, rename, link, symlink, readlink, getdents64, unlink, rmdir",
        "errno: ENOENT EEXIST ENOTDIR EISDIR EBADF ELOOP ENOTEMPTY EINVAL EFAULT ENAMETOOLONG",
        "cwd: chdir, getcwd, relative paths, fchdir",
        "devfs: null, zero, urandom, console ioctl, block devices",
        "procfs: mounts, /etc/mtab, cpuinfo, meminfo, self/exe, self/maps; sysfs",
        "pipes: 1 MiB between two threads, EOF, EPIPE, poll",
        "dup, dup2, dup3, fcntl, umask, statfs, access",
        "rofs: every file hashed, directories listed, symlinks read; EROFS",
    };

    private static readonly int VfsChecks = ExpectedVfsTests.Length;
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("osv-vfs-").FullName;

    public FileSystemTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed record HostTree(string ImagePath, List<string> Lines);

    /// <summary>A manifest tree (seeded contents) built into a usr.img; Lines are the `vfs:` lines the kernel must print for it mounted at <paramref name="mountPoint"/>.</summary>
    private HostTree MakeImage(int seed, string mountPoint, params string[] extraDirectories)
    {
        var random = new Random(seed);
        string root = Path.Combine(_directory, $"tree{seed}");
        Directory.CreateDirectory(root);
        var manifest = new StringBuilder();
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        int[] sizes = { 0, 1, 511, 4095, 4096, 4097, 65536, 100003, 300000 };
        for (int i = 0; i < sizes.Length; i++)
        {
            string guest = i % 3 == 0 ? $"/f{i}.bin" : i % 3 == 1 ? $"/dir{seed}/f{i}.bin" : $"/dir{seed}/nested/deeper/f{i}.bin";
            byte[] bytes = new byte[sizes[i]];
            random.NextBytes(bytes);
            string host = Path.Combine(root, $"f{i}.bin");
            File.WriteAllBytes(host, bytes);
            files[guest] = bytes;
            manifest.Append(guest).Append(": ").Append(host).Append('\n');
        }
        manifest.Append($"/dir{seed}/nested/link -> deeper/f2.bin\n");
        manifest.Append("/abs-link -> /f0.bin\n");
        string manifestPath = Path.Combine(_directory, $"usr{seed}.manifest");
        File.WriteAllText(manifestPath, manifest.ToString());
        string imagePath = Path.Combine(_directory, $"usr{seed}.img");
        if (extraDirectories.Length > 0)
        {
            // Empty directories are not expressible in a manifest line: build the tree directly.
            var tree = new RofsSourceTree();
            foreach (var (guest, bytes) in files)
                tree.AddFile(guest, bytes);
            tree.AddSymlink($"/dir{seed}/nested/link", "deeper/f2.bin");
            tree.AddSymlink("/abs-link", "/f0.bin");
            foreach (string directory in extraDirectories)
                tree.AddDirectory(directory);
            UsrImageBuilder.AddSystemEntries(tree, Array.Empty<Osv.Vfs.Manifest.Host.ManifestEntry>());
            DiskImageBuilder.Write(imagePath, RofsImageWriter.Build(tree));
        }
        else
        {
            UsrImageBuilder.Build(manifestPath, imagePath);
        }

        string prefix = mountPoint == "/" ? "" : mountPoint;
        var lines = new List<string>();
        foreach (var (guest, bytes) in files)
            lines.Add($"vfs: file {prefix}{guest} {bytes.Length} 0x{Fnv1a64(bytes):x16}");
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string guest in files.Keys.Concat(extraDirectories))
        {
            for (string? parent = Path.GetDirectoryName(guest); parent != null && parent != "/"; parent = Path.GetDirectoryName(parent))
                directories.Add(parent);
        }
        foreach (string directory in extraDirectories)
            directories.Add(directory);
        directories.Add("/etc");
        if (mountPoint != "/") // on the root these are covered by devfs, procfs, sysfs and the ramfs /tmp
            foreach (string system in UsrImageBuilder.SystemDirectories)
                directories.Add(system);
        foreach (string directory in directories)
            lines.Add($"vfs: dir {prefix}{directory}");
        lines.Add($"vfs: link {prefix}/dir{seed}/nested/link -> deeper/f2.bin");
        lines.Add($"vfs: link {prefix}/abs-link -> /f0.bin");
        lines.Add($"vfs: link {prefix}/etc/mtab -> /proc/mounts");
        return new HostTree(imagePath, lines);
    }

    private static ulong Fnv1a64(byte[] bytes)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in bytes)
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }

    private static void SameTree(VmRunResult result, IEnumerable<string> expected)
    {
        string[] printed = Kernel.LinesMatching(result, "^vfs: (file|dir|link) ");
        Assert.Equal(expected.OrderBy(line => line, StringComparer.Ordinal), printed.OrderBy(line => line, StringComparer.Ordinal));
    }

    private static void PassedEverything(VmRunResult result)
    {
        foreach (string test in ExpectedVfsTests)
            Kernel.Line(result, "^test vfs: " + System.Text.RegularExpressions.Regex.Escape(test) + ": ok$");
        Kernel.Line(result, $"^tests: {VfsChecks} passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task RofsRootOnADiskMatchesTheHostTreeByteForByte()
    {
        HostTree tree = MakeImage(seed: 1, mountPoint: "/");
        VmRunResult result = await Kernel.BootAsync(_output, "--test=vfs", cpus: 2, testImage: true, disks: new[] { new DiskAttachment(tree.ImagePath) });
        SameTree(result, tree.Lines);
        Kernel.Line(result, "^vfs: mounts: /dev/vblk0\\.1 / rofs ro 0 0;");
        Kernel.Line(result, "^vfs: rofs trees: 1$");
        PassedEverything(result);
    }

    [Fact]
    public async Task TwoDisksAtOnceTheSecondMountedWithMountFs()
    {
        HostTree first = MakeImage(seed: 2, mountPoint: "/", "/data");
        HostTree second = MakeImage(seed: 3, mountPoint: "/data");
        VmRunResult result = await Kernel.BootAsync(_output, "--mount-fs=rofs,/dev/vblk1.1,/data --test=vfs", testImage: true,
            disks: new[] { new DiskAttachment(first.ImagePath), new DiskAttachment(second.ImagePath) });
        SameTree(result, first.Lines.Where(line => line != "vfs: dir /data").Concat(second.Lines));
        Kernel.Line(result, "^vfs: mounts: .*;/dev/vblk1\\.1 /data rofs ro 0 0;");
        Kernel.Line(result, "^vfs: rofs trees: 2$");
        PassedEverything(result);
    }

    [Fact]
    public async Task WithoutADiskTheRootIsRamfsFromTheKernelsBootfs()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=vfs", testImage: true);
        Kernel.Line(result, "^vfs: mounts: ramfs / ramfs rw 0 0;");
        Kernel.Line(result, "^vfs: rofs trees: 0$");
        Assert.Empty(Kernel.LinesMatching(result, "^mount: "));
        PassedEverything(result);
    }

    private string PatchedImage(int seed, Action<byte[], RofsImageLayout, long> patch)
    {
        var tree = new RofsSourceTree();
        tree.AddDirectory("/a/b/c");
        tree.AddFile("/a/file", new byte[5000]);
        tree.AddSymlink("/a/link", "file");
        byte[] fileSystem = RofsImageWriter.Build(tree, out RofsImageLayout layout);
        string path = Path.Combine(_directory, $"bad{seed}.img");
        DiskImageLayout disk = DiskImageBuilder.Write(path, fileSystem);
        byte[] bytes = File.ReadAllBytes(path);
        patch(bytes, layout, disk.PartitionOffsetBytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Boots with the damaged disk as the root: one mount line naming the problem, then the ramfs root, and every check still passes.</summary>
    private async Task RefusedWith(string image, string problem)
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=vfs", testImage: true, disks: new[] { new DiskAttachment(image) });
        Kernel.Line(result, "^mount: /dev/vblk0\\.1 on /: rofs: " + problem);
        Kernel.Line(result, "^mount: the root is a ramfs with the bootfs content instead$");
        Assert.DoesNotContain("panic", result.SerialOutput, StringComparison.OrdinalIgnoreCase);
        PassedEverything(result);
    }

    [Fact]
    public async Task AWrongMagicIsRefusedByName()
    {
        string image = PatchedImage(10, (bytes, layout, at) => Encoding.ASCII.GetBytes("NOTROFS!").CopyTo(bytes, at));
        await RefusedWith(image, "bad magic 0x2153464f52544f4e at offset 0$");
    }

    [Fact]
    public async Task ACorruptedSuperblockIsRefused()
    {
        string image = PatchedImage(11, (bytes, layout, at) => BitConverter.GetBytes(0xFFFF_FFFF_FFFFUL).CopyTo(bytes, at + RofsLayout.InodeCountField));
        await RefusedWith(image, "(table count too large|structure region|inode table truncated).* at offset \\d+$");
    }

    [Fact]
    public async Task ATruncatedImageIsRefused()
    {
        // Partition 1 shrunk to its first 4 KiB: the superblock is there, the structures are not.
        string image = PatchedImage(12, (bytes, layout, at) => BitConverter.GetBytes(8u).CopyTo(bytes, 446 + 12));
        await RefusedWith(image, "structure region outside the device \\(truncated image\\?\\) at offset \\d+$");
    }

    [Fact]
    public async Task ADirectoryCycleIsRefused()
    {
        // The entry "b" in /a is made to point at /a itself.
        string image = PatchedImage(13, (bytes, layout, at) =>
        {
            foreach (ulong offset in layout.DirectoryEntryOffsets)
            {
                long entry = at + (long)offset;
                int nameLength = BitConverter.ToUInt16(bytes, (int)entry + 8);
                if (nameLength == 1 && bytes[entry + RofsLayout.DirectoryEntryHeaderSize] == (byte)'b')
                    BitConverter.GetBytes(layout.InodeNumbers["/a"]).CopyTo(bytes, entry);
            }
        });
        await RefusedWith(image, "directory (cycle|linked twice).* at offset \\d+$");
    }

    [Fact]
    public async Task FileDataPastTheEndIsRefused()
    {
        string image = PatchedImage(14, (bytes, layout, at) =>
            BitConverter.GetBytes(1UL << 40).CopyTo(bytes, at + (long)layout.InodeOffset(layout.InodeNumbers["/a/file"]) + RofsLayout.InodeDataOffsetField));
        await RefusedWith(image, "file data out of bounds in inode \\d+ at offset \\d+$");
    }
}
