using System.Text;
using Osv.Vfs.Bootfs.Host;
using Osv.Vfs.Ramfs;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Osv.Vfs.RofsAdapter;
using Osv.Vfs.Tests.Support;
using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

/// <summary>A rofs image written by the host writer, and the same tree unpacked from bootfs into ramfs, read through the same calls.</summary>
public sealed unsafe class RofsThroughVfsTests : VfsTestKit
{
    private static readonly byte[] BigFile = MakeBigFile();

    private static byte[] MakeBigFile()
    {
        var bytes = new byte[10000];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(i * 7);
        return bytes;
    }

    private void MountRofsAt(string path)
    {
        var tree = new RofsSourceTree()
            .AddFile("/etc/hosts", Encoding.ASCII.GetBytes("127.0.0.1 localhost\n"))
            .AddFile("/lib/big.so", BigFile)
            .AddSymlink("/lib/link.so", "big.so")
            .AddDirectory("/empty");
        byte[] image = RofsImageWriter.Build(tree);
        RofsResult result = RofsVolume.Mount(new MemoryBlockDevice(image), TrackingAllocator.AllocateFunction, TrackingAllocator.FreeFunction, 2, out RofsVolume? volume);
        Assert.True(result.IsOk);
        Assert.Equal(0, RofsFileSystem.Create(volume!, Allocator, new NoLock(), out RofsFileSystem? fileSystem));
        Mkdir(path);
        Assert.Equal(0, Vfs.Mount(B(path), fileSystem!, B("/dev/vblk0.1")));
    }

    private void UnpackBootfsAt(string path)
    {
        byte[] archive = new BootfsArchiveWriter()
            .AddFile(path.TrimStart('/') + "/etc/hosts", Encoding.ASCII.GetBytes("127.0.0.1 localhost\n"))
            .AddFile(path.TrimStart('/') + "/lib/big.so", BigFile)
            .AddSymlink(path.TrimStart('/') + "/lib/link.so", "big.so")
            .AddDirectory(path.TrimStart('/') + "/empty")
            .Build();
        Assert.Equal(4, BootfsUnpacker.Unpack(Files, archive));
    }

    [Theory]
    [InlineData("rofs")]
    [InlineData("bootfs")]
    public void Same_tree_reads_the_same_through_the_vfs(string kind)
    {
        if (kind == "rofs")
            MountRofsAt("/m");
        else
            UnpackBootfsAt("/m");
        Assert.Equal("127.0.0.1 localhost\n", ReadFile("/m/etc/hosts"));
        long fd = Files.Open(B("/m/lib/link.so"), OpenFlags.ReadOnly, 0);
        Assert.True(fd >= 0);
        var buffer = new byte[BigFile.Length + 10];
        Assert.Equal(BigFile.Length, Files.Read((int)fd, buffer));
        Assert.Equal(BigFile, buffer[..BigFile.Length]);
        Assert.Equal(100, Files.PositionalRead((int)fd, buffer, 9900));
        Assert.Equal(BigFile[9900..], buffer[..100]);
        Assert.Equal(0, Files.StatAt((int)fd, B(""), out var stat, AtFlags.EmptyPath));
        Assert.Equal(BigFile.Length, stat.Size);
        Assert.Equal(FileModes.Regular, stat.Mode & FileModes.TypeMask);
        Files.Close((int)fd);
        var link = new byte[16];
        Assert.Equal(6, Files.ReadLink(B("/m/lib/link.so"), link));
        Assert.Equal("/m/lib", WalkUp("/m/lib/../lib/./"));
        Assert.Equal(0, Files.ChangeDirectory(B("/m/lib")));
        Assert.Equal("/m/lib", Cwd());
        Assert.Equal("127.0.0.1 localhost\n", ReadFile("../../m/etc/hosts"));
        Assert.Equal(0, Files.ChangeDirectory(B("/")));
        long dir = Files.Open(B("/m/lib"), OpenFlags.ReadOnly | OpenFlags.Directory, 0);
        long length = Files.GetDirectoryEntries64((int)dir, new byte[512]);
        Assert.Equal(24 + 24 + 32 + 32, length); // ".", "..", "big.so", "link.so"
        Files.Close((int)dir);
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/m/lib/nope"), out _));
    }

    private string WalkUp(string path)
    {
        Assert.Equal(0, Files.ChangeDirectory(B(path)));
        string cwd = Cwd();
        Assert.Equal(0, Files.ChangeDirectory(B("/")));
        return cwd;
    }

    [Fact]
    public void Rofs_refuses_every_change_with_EROFS()
    {
        MountRofsAt("/ro");
        Assert.Equal(-Errno.EROFS, Files.Open(B("/ro/etc/hosts"), OpenFlags.WriteOnly, 0));
        Assert.Equal(-Errno.EROFS, Files.Open(B("/ro/new"), OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4));
        Assert.Equal(-Errno.EROFS, Files.MakeDirectory(B("/ro/d"), 0x1ED));
        Assert.Equal(-Errno.EROFS, Files.Unlink(B("/ro/etc/hosts")));
        Assert.Equal(-Errno.EROFS, Files.RemoveDirectory(B("/ro/empty")));
        Assert.Equal(-Errno.EROFS, Files.Rename(B("/ro/etc/hosts"), B("/ro/etc/h2")));
        Assert.Equal(-Errno.EROFS, Files.Symlink(B("x"), B("/ro/s")));
        Assert.Equal(-Errno.EROFS, Files.Truncate(B("/ro/etc/hosts"), 0));
        Assert.Equal(-Errno.EROFS, Files.Access(B("/ro/etc/hosts"), AccessModes.Write));
        Assert.Equal(0, Files.StatFileSystem(B("/ro/etc"), out var statfs));
        Assert.Equal(Osv.Vfs.Vfs.Abi.LinuxStatfs.ReadOnlyFlag, statfs.Flags);
        var text = new byte[200];
        int length = Vfs.Mounts.WriteMountsText(text);
        Assert.Equal("rootfs / ramfs rw 0 0\n/dev/vblk0.1 /ro rofs ro 0 0\n", Encoding.ASCII.GetString(text, 0, length));
    }
}
