using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Osv.Cli.Images;
using Osv.Cli.Infrastructure;
using Osv.Cli.Tests.Support;
using Osv.Vfs.Partitions;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Xunit;

namespace Osv.Cli.Tests;

/// <summary>`osv build --manifest`: the image is read back through the partition table and the kernel's own rofs reader.</summary>
public sealed unsafe class UsrImageBuilderTests
{
    private static void* Allocate(nuint size) => NativeMemory.AllocZeroed(size);
    private static void Free(void* block) => NativeMemory.Free(block);

    [Fact]
    public void TheManifestTreeReadsBackByteForByteFromPartitionOne()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("data", "sub"));
        File.WriteAllText(temp.Combine("data", "a.txt"), "hello\n");
        byte[] big = new byte[300_001];
        new Random(7).NextBytes(big);
        File.WriteAllBytes(temp.Combine("data", "sub", "big.bin"), big);
        File.WriteAllText(temp.Combine("usr.manifest"), "[manifest]\n/etc/hello.txt: data/a.txt\n/data/**: data/**\n/link -> /etc/hello.txt\n");
        string output = temp.Combine("out", "usr.img");

        UsrImage image = UsrImageBuilder.Build(temp.Combine("usr.manifest"), output);

        Assert.Equal(3, image.Files);
        Assert.Equal(1, image.Symlinks);
        byte[] disk = File.ReadAllBytes(output);
        Span<Partition> partitions = stackalloc Partition[4];
        PartitionTableResult table = PartitionTableReader.Read(disk, (ulong)disk.Length / 512, partitions);
        Assert.True(table.Succeeded, table.Message);
        Assert.Equal(1, table.Count);
        Assert.Equal(1, partitions[0].Index);
        Assert.Equal(2048UL, partitions[0].StartLba);

        byte[] fileSystem = disk.AsSpan((int)(partitions[0].StartLba * 512), (int)(partitions[0].SectorCount * 512)).ToArray();
        using var device = new ByteArrayDevice(fileSystem);
        Assert.True(RofsVolume.Mount(device, &Allocate, &Free, RofsVolume.DefaultCacheWindows, out RofsVolume? volume).IsOk);
        using (volume!)
        {
            Assert.True(volume!.Verify(out _).IsOk);
            Assert.Equal(SHA256.HashData(big), SHA256.HashData(ReadFile(volume, "data/sub/big.bin")));
            Assert.Equal("hello\n", Encoding.UTF8.GetString(ReadFile(volume, "etc/hello.txt")));
            Assert.True(Walk(volume, "link", out RofsInode link).IsOk);
            Assert.True(volume.ReadSymlink(link, out ReadOnlySpan<byte> target).IsOk);
            Assert.Equal("/etc/hello.txt", Encoding.UTF8.GetString(target));
        }
    }

    [Fact]
    public void TheDefaultApplicationJoinsUnlessTheManifestNamesHello()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("app"), "default");
        File.WriteAllText(temp.Combine("mine"), "mine");
        File.WriteAllText(temp.Combine("without.manifest"), "/etc/x: mine\n");
        File.WriteAllText(temp.Combine("with.manifest"), "/hello: mine\n");

        UsrImage without = UsrImageBuilder.Build(temp.Combine("without.manifest"), temp.Combine("a.img"), temp.Combine("app"));
        UsrImage with = UsrImageBuilder.Build(temp.Combine("with.manifest"), temp.Combine("b.img"), temp.Combine("app"));

        Assert.Equal(2, without.Files);
        Assert.Equal(1, with.Files);
        Assert.Equal("default", System.Text.Encoding.UTF8.GetString(ReadFromImage(temp.Combine("a.img"), "hello")));
        Assert.Equal("mine", System.Text.Encoding.UTF8.GetString(ReadFromImage(temp.Combine("b.img"), "hello")));
    }

    private static byte[] ReadFromImage(string imagePath, string path)
    {
        byte[] disk = File.ReadAllBytes(imagePath);
        Span<Partition> partitions = stackalloc Partition[4];
        Assert.True(PartitionTableReader.Read(disk, (ulong)disk.Length / 512, partitions).Succeeded);
        byte[] fileSystem = disk.AsSpan((int)(partitions[0].StartLba * 512), (int)(partitions[0].SectorCount * 512)).ToArray();
        using var device = new ByteArrayDevice(fileSystem);
        Assert.True(RofsVolume.Mount(device, &Allocate, &Free, RofsVolume.DefaultCacheWindows, out RofsVolume? volume).IsOk);
        using (volume!)
            return ReadFile(volume!, path);
    }

    [Fact]
    public void AMissingHostFileNamesTheManifestLine()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("usr.manifest"), "/etc/a: a.txt\n/etc/b: missing.txt\n");
        File.WriteAllText(temp.Combine("a.txt"), "a");

        var error = Assert.Throws<OsvException>(() => UsrImageBuilder.Build(temp.Combine("usr.manifest"), temp.Combine("usr.img")));

        Assert.Contains("usr.manifest:2", error.Message);
        Assert.Contains("missing.txt", error.Message);
        Assert.False(File.Exists(temp.Combine("usr.img")));
    }

    private static RofsResult Walk(RofsVolume volume, string path, out RofsInode inode)
    {
        RofsResult result = volume.GetInode(RofsLayout.RootInodeNumber, out inode);
        foreach (string name in path.Split('/'))
        {
            if (!result.IsOk)
                return result;
            RofsInode directory = inode;
            result = volume.Lookup(directory, Encoding.UTF8.GetBytes(name), out inode);
        }
        return result;
    }

    private static byte[] ReadFile(RofsVolume volume, string path)
    {
        Assert.True(Walk(volume, path, out RofsInode file).IsOk, path);
        using var contents = new MemoryStream();
        byte[] buffer = new byte[7000];
        for (ulong offset = 0; ; )
        {
            Assert.True(volume.ReadFile(file, offset, buffer, out int read).IsOk);
            if (read == 0)
                return contents.ToArray();
            contents.Write(buffer, 0, read);
            offset += (ulong)read;
        }
    }

    private sealed class ByteArrayDevice : IBlockDevice, IDisposable
    {
        private readonly byte[] _bytes;
        public ByteArrayDevice(byte[] bytes) => _bytes = bytes;
        public ulong Size => (ulong)_bytes.Length;

        public int Read(ulong offset, Span<byte> destination)
        {
            if (offset + (ulong)destination.Length > Size)
                return -5; // EIO
            _bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
            return 0;
        }

        public void Dispose() { }
    }
}
