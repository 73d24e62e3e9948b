using System.Text;
using Osv.Vfs.Ramfs;
using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

public sealed unsafe class MountTests : VfsTestKit
{
    private RamfsFileSystem NewRamfs() => new RamfsFileSystem(Allocator, new NoLock(), null);

    [Fact]
    public void Lookup_crosses_into_a_mount_and_dotdot_climbs_out_of_it()
    {
        Mkdir("/mnt");
        WriteFile("/mnt/hidden", "under");
        WriteFile("/outside", "o");
        Assert.Equal(0, Vfs.Mount(B("/mnt"), NewRamfs(), B("tmp")));
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/mnt/hidden"), out _));
        WriteFile("/mnt/inner", "in");
        Assert.Equal("o", ReadFile("/mnt/../outside"));
        Assert.Equal(0, Files.ChangeDirectory(B("/mnt")));
        Assert.Equal("/mnt", Cwd());
        Assert.Equal("o", ReadFile("../outside"));
        Assert.Equal(0, Files.Stat(B("."), out var inside));
        Assert.Equal(0, Files.Stat(B("/"), out var root));
        Assert.NotEqual(root.Device, inside.Device);
        Assert.Equal(0, Files.ChangeDirectory(B("/")));
    }

    [Fact]
    public void Unmount_is_busy_while_used_and_uncovers_the_directory()
    {
        Mkdir("/mnt");
        WriteFile("/mnt/hidden", "under");
        Assert.Equal(0, Vfs.Mount(B("/mnt"), NewRamfs(), B("tmp")));
        WriteFile("/mnt/f", "x");
        long fd = Files.Open(B("/mnt/f"), OpenFlags.ReadOnly, 0);
        Assert.Equal(-Errno.EBUSY, Vfs.Unmount(B("/mnt")));
        Files.Close((int)fd);
        Assert.Equal(0, Files.ChangeDirectory(B("/mnt")));
        Assert.Equal(-Errno.EBUSY, Vfs.Unmount(B("/mnt")));
        Assert.Equal(0, Files.ChangeDirectory(B("/")));
        Assert.Equal(-Errno.EBUSY, Files.RemoveDirectory(B("/mnt")));
        Assert.Equal(-Errno.EBUSY, Files.Rename(B("/mnt"), B("/m2")));
        Assert.Equal(-Errno.EXDEV, Files.Rename(B("/mnt/f"), B("/f")));
        Assert.Equal(-Errno.EXDEV, Files.Link(B("/mnt/f"), B("/f")));
        Assert.Equal(-Errno.EINVAL, Vfs.Unmount(B("/mnt/f")));
        Assert.Equal(-Errno.EBUSY, Vfs.Unmount(B("/mnt/.."))); // the root, while /mnt is mounted
        Assert.Equal(0, Vfs.Unmount(B("/mnt")));
        Assert.Equal("under", ReadFile("/mnt/hidden"));
        Assert.Equal(-Errno.EINVAL, Vfs.Unmount(B("/mnt")));
    }

    [Fact]
    public void Mounts_stack_and_mount_needs_a_directory()
    {
        Mkdir("/mnt");
        WriteFile("/file", "x");
        Assert.Equal(-Errno.ENOTDIR, Vfs.Mount(B("/file"), RootFsLikeTemporary(out var failed), B("x")));
        failed.Destroy();
        Assert.Equal(-Errno.ENOENT, Vfs.Mount(B("/none"), RootFsLikeTemporary(out failed), B("x")));
        failed.Destroy();
        Assert.Equal(0, Vfs.Mount(B("/mnt"), NewRamfs(), B("first")));
        WriteFile("/mnt/one", "1");
        Assert.Equal(0, Vfs.Mount(B("/mnt"), NewRamfs(), B("second")));
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/mnt/one"), out _));
        Assert.Equal(-Errno.EBUSY, Vfs.Unmount(B("/")));
        Assert.Equal(0, Vfs.Unmount(B("/mnt")));
        Assert.Equal("1", ReadFile("/mnt/one"));
    }

    private RamfsFileSystem RootFsLikeTemporary(out RamfsFileSystem fileSystem) => fileSystem = NewRamfs();

    [Fact]
    public void Mount_table_text_is_proc_mounts_format_with_escapes()
    {
        Mkdir("/my dir");
        Assert.Equal(0, Vfs.Mount(B("/my dir"), NewRamfs(), B("")));
        var buffer = new byte[256];
        int length = Vfs.Mounts.WriteMountsText(buffer);
        Assert.Equal("rootfs / ramfs rw 0 0\nnone /my\\040dir ramfs rw 0 0\n", Encoding.ASCII.GetString(buffer, 0, length));
        Assert.Equal(length, Vfs.Mounts.WriteMountsText(new byte[3])); // reports the full length
    }
}
