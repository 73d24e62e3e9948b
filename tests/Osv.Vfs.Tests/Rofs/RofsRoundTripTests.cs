using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Osv.Vfs.Tests.Support;
using Xunit;
using static Osv.Vfs.Tests.Rofs.RofsTestKit;

namespace Osv.Vfs.Tests.Rofs;

/// <summary>Images the host writer builds read back through the reader exactly as described.</summary>
public sealed class RofsRoundTripTests : LeakCheckedTest
{
    [Theory]
    [MemberData(nameof(FileSizes.Edges), MemberType = typeof(FileSizes))]
    public void FilesOfEverySizeReadBackByteForByte(int size)
    {
        byte[] contents = Bytes(size, seed: size);
        byte[] neighbour = Bytes(700, seed: 99); // a file after it: padding must not leak into either
        byte[] image = RofsImageWriter.Build(new RofsSourceTree().AddFile("/data/file", contents).AddFile("/data/zz", neighbour));

        using RofsVolume volume = Mount(image);
        RofsInode file = Resolve(volume, "/data/file");
        Assert.True(file.IsRegularFile);
        Assert.Equal((ulong)size, file.FileSize);
        Assert.Equal(Hash(contents), Hash(ReadAll(volume, file, chunk: 777)));
        Assert.Equal(Hash(neighbour), Hash(ReadAll(volume, Resolve(volume, "/data/zz"))));
    }

    [Fact]
    public void NestedDirectoriesAndSymlinksResolve()
    {
        var tree = new RofsSourceTree()
            .AddFile("/usr/lib/libfoo.so", Encoding.UTF8.GetBytes("foo"))
            .AddFile("usr/lib/x86_64/libbar.so", Encoding.UTF8.GetBytes("bar"))
            .AddSymlink("/lib", "/usr/lib")
            .AddSymlink("/usr/lib/libfoo.so.1", "libfoo.so")
            .AddDirectory("/tmp");
        using RofsVolume volume = Mount(RofsImageWriter.Build(tree));

        Assert.Equal("foo", Encoding.UTF8.GetString(ReadAll(volume, Resolve(volume, "/usr/lib/libfoo.so"))));
        Assert.Equal("bar", Encoding.UTF8.GetString(ReadAll(volume, Resolve(volume, "/usr/lib/x86_64/libbar.so"))));
        Assert.Equal("/usr/lib", SymlinkTarget(volume, "/lib"));
        Assert.Equal("libfoo.so", SymlinkTarget(volume, "/usr/lib/libfoo.so.1"));
        RofsInode tmp = Resolve(volume, "/tmp");
        Assert.True(tmp.IsDirectory);
        Assert.Equal(0UL, tmp.Count);
        Assert.Equal(new[] { "lib", "tmp", "usr" }, Names(volume, Resolve(volume, "/")));

        AssertOk(volume.Verify(out RofsTreeStatistics statistics));
        Assert.Equal(5UL, statistics.Directories); // /, /tmp, /usr, /usr/lib, /usr/lib/x86_64
        Assert.Equal(2UL, statistics.RegularFiles);
        Assert.Equal(2UL, statistics.Symlinks);
        Assert.Equal(6UL, statistics.FileBytes);
        Assert.Equal(4, statistics.MaxDepth);
    }

    [Fact]
    public void ManyEntriesInOneDirectoryAreAllFound()
    {
        const int count = 3000;
        var tree = new RofsSourceTree();
        for (int i = 0; i < count; i++)
            tree.AddFile($"/many/f{i}", Encoding.UTF8.GetBytes($"content {i}"));
        using RofsVolume volume = Mount(RofsImageWriter.Build(tree));

        RofsInode many = Resolve(volume, "/many");
        Assert.Equal((ulong)count, many.Count);
        for (int i = 0; i < count; i += 97)
            Assert.Equal($"content {i}", Encoding.UTF8.GetString(ReadAll(volume, Resolve(volume, $"/many/f{i}"))));
        List<string> names = Names(volume, many);
        var sorted = new List<string>(names);
        sorted.Sort(StringComparer.Ordinal);
        Assert.Equal(sorted, names);
        AssertOk(volume.Verify(out RofsTreeStatistics statistics));
        Assert.Equal((ulong)count, statistics.RegularFiles);
    }

    [Fact]
    public void HostFilesAreCopiedIntoTheImage()
    {
        string hostPath = Path.GetTempFileName();
        try
        {
            byte[] contents = Bytes(10_000, seed: 7);
            File.WriteAllBytes(hostPath, contents);
            using RofsVolume volume = Mount(RofsImageWriter.Build(new RofsSourceTree().AddHostFile("/bin/app", hostPath)));
            Assert.Equal(Hash(contents), Hash(ReadAll(volume, Resolve(volume, "/bin/app"))));
        }
        finally
        {
            File.Delete(hostPath);
        }
    }

    [Fact]
    public void ImagesOnAFileBlockDeviceMount()
    {
        string imagePath = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(imagePath, RofsImageWriter.Build(new RofsSourceTree().AddFile("/a", Bytes(5000, 3))));
            using var device = new FileBlockDevice(imagePath);
            using RofsVolume volume = Mount(device);
            Assert.Equal(Hash(Bytes(5000, 3)), Hash(ReadAll(volume, Resolve(volume, "/a"))));
        }
        finally
        {
            File.Delete(imagePath);
        }
    }

    [Fact]
    public void PreadReadsShortAtTheEndAndNothingPastIt()
    {
        byte[] contents = Bytes(1000, seed: 5);
        using RofsVolume volume = Mount(RofsImageWriter.Build(new RofsSourceTree().AddFile("/f", contents)));
        RofsInode file = Resolve(volume, "/f");
        byte[] buffer = new byte[300];

        AssertOk(volume.ReadFile(file, 900, buffer, out int read));
        Assert.Equal(100, read);
        Assert.Equal(contents.AsSpan(900).ToArray(), buffer.AsSpan(0, 100).ToArray());
        AssertOk(volume.ReadFile(file, 1000, buffer, out read));
        Assert.Equal(0, read);
        AssertOk(volume.ReadFile(file, ulong.MaxValue, buffer, out read));
        Assert.Equal(0, read);
    }

    [Fact]
    public void RequestsOfTheWrongTypeAreRefused()
    {
        using RofsVolume volume = Mount(RofsImageWriter.Build(new RofsSourceTree().AddFile("/f", new byte[] { 1 }).AddSymlink("/l", "f")));
        RofsInode root = Resolve(volume, "/");
        RofsInode file = Resolve(volume, "/f");

        Assert.Equal(RofsStatus.NotARegularFile, volume.ReadFile(root, 0, new byte[1], out _).Status);
        Assert.Equal(RofsStatus.NotADirectory, volume.Lookup(file, "x"u8, out _).Status);
        Assert.Equal(RofsStatus.NotADirectory, volume.ReadDirectoryEntry(file, 0, out _).Status);
        Assert.Equal(RofsStatus.NotASymlink, volume.ReadSymlink(file, out _).Status);
        Assert.Equal(RofsStatus.NotFound, volume.Lookup(root, "missing"u8, out _).Status);
        Assert.Equal(RofsStatus.EntryIndexOutOfRange, volume.ReadDirectoryEntry(root, 2, out _).Status);
        Assert.Equal(RofsStatus.InodeNumberOutOfRange, volume.GetInode(0, out _).Status);
        Assert.Equal(RofsStatus.InodeNumberOutOfRange, volume.GetInode(4, out _).Status);
    }

    [Fact]
    public void AnEmptyTreeIsARootWithoutEntries()
    {
        using RofsVolume volume = Mount(RofsImageWriter.Build(new RofsSourceTree()));
        Assert.Equal(0UL, Resolve(volume, "/").Count);
        AssertOk(volume.Verify(out RofsTreeStatistics statistics));
        Assert.Equal(1UL, statistics.Directories);
    }

    internal static string SymlinkTarget(RofsVolume volume, string path)
    {
        AssertOk(volume.ReadSymlink(Resolve(volume, path), out ReadOnlySpan<byte> target));
        return Encoding.UTF8.GetString(target);
    }

    internal static List<string> Names(RofsVolume volume, RofsInode directory)
    {
        var names = new List<string>();
        for (ulong i = 0; i < directory.Count; i++)
        {
            AssertOk(volume.ReadDirectoryEntry(directory, i, out RofsDirectoryEntry entry));
            names.Add(Encoding.UTF8.GetString(entry.Name));
        }
        return names;
    }
}
