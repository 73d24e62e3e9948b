using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

/// <summary>Each call's errno cases, as Linux gives them.</summary>
public sealed class FileOperationErrnoTests : VfsTestKit
{
    [Fact]
    public void Open_flags()
    {
        Mkdir("/d");
        WriteFile("/f", "12345");
        Assert.Equal(-Errno.ENOENT, Files.Open(B("/g"), OpenFlags.ReadOnly, 0));
        Assert.Equal(-Errno.EEXIST, Files.Open(B("/f"), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, 0x1A4));
        Assert.Equal(-Errno.EISDIR, Files.Open(B("/d"), OpenFlags.WriteOnly, 0));
        Assert.Equal(-Errno.EISDIR, Files.Open(B("/d"), OpenFlags.ReadOnly | OpenFlags.Create, 0x1A4));
        Assert.Equal(-Errno.EISDIR, Files.Open(B("/new/"), OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4));
        Assert.Equal(-Errno.ENOTDIR, Files.Open(B("/f"), OpenFlags.ReadOnly | OpenFlags.Directory, 0));
        long fd = Files.Open(B("/f"), OpenFlags.WriteOnly | OpenFlags.Truncate, 0);
        Assert.True(fd >= 0);
        Files.Close((int)fd);
        Assert.Equal("", ReadFile("/f"));
        fd = Files.Open(B("/d"), OpenFlags.ReadOnly | OpenFlags.Directory, 0);
        Assert.True(fd >= 0);
        Files.Close((int)fd);
    }

    [Fact]
    public void Creation_mode_has_umask_applied()
    {
        Assert.Equal(0x12, Files.SetUmask(0x3F)); // 022 -> 077
        long fd = Files.Open(B("/m"), OpenFlags.WriteOnly | OpenFlags.Create, 0x1FF);
        Files.Close((int)fd);
        Assert.Equal(0, Files.Stat(B("/m"), out var stat));
        Assert.Equal(FileModes.Regular | 0x1C0u, stat.Mode); // 0700
        Assert.Equal(0, Files.MakeDirectory(B("/md"), 0x1FF));
        Assert.Equal(0, Files.Stat(B("/md"), out stat));
        Assert.Equal(FileModes.Directory | 0x1C0u, stat.Mode);
    }

    [Fact]
    public void Read_write_access_modes_and_directories()
    {
        Mkdir("/d");
        WriteFile("/f", "abc");
        long ro = Files.Open(B("/f"), OpenFlags.ReadOnly, 0);
        long wo = Files.Open(B("/f"), OpenFlags.WriteOnly, 0);
        long dir = Files.Open(B("/d"), OpenFlags.ReadOnly, 0);
        Assert.Equal(-Errno.EBADF, Files.Write((int)ro, B("x")));
        Assert.Equal(-Errno.EBADF, Files.Read((int)wo, new byte[4]));
        Assert.Equal(-Errno.EISDIR, Files.Read((int)dir, new byte[4]));
        Assert.Equal(-Errno.EBADF, Files.Read(99, new byte[4]));
        Assert.Equal(-Errno.EINVAL, Files.PositionalRead((int)ro, new byte[4], -1));
        Assert.Equal(-Errno.EINVAL, Files.Seek((int)ro, -1, SeekOrigin.Set));
        Assert.Equal(-Errno.EINVAL, Files.Seek((int)ro, 0, 7));
    }

    [Fact]
    public void Pread_pwrite_do_not_move_the_offset_and_append_writes_at_end()
    {
        WriteFile("/f", "hello");
        long fd = Files.Open(B("/f"), OpenFlags.ReadWrite, 0);
        var buffer = new byte[3];
        Assert.Equal(3, Files.PositionalRead((int)fd, buffer, 1));
        Assert.Equal("ell", System.Text.Encoding.ASCII.GetString(buffer));
        Assert.Equal(0, Files.Seek((int)fd, 0, SeekOrigin.Current));
        Assert.Equal(2, Files.PositionalWrite((int)fd, B("XY"), 7)); // hole of two zero bytes
        Assert.Equal("hello\0\0XY", ReadFile("/f"));
        Assert.Equal(0, Files.PositionalRead((int)fd, buffer, 100));
        Files.Close((int)fd);
        fd = Files.Open(B("/f"), OpenFlags.WriteOnly | OpenFlags.Append, 0);
        Assert.Equal(1, Files.Write((int)fd, B("!")));
        Assert.Equal(10, Files.Seek((int)fd, 0, SeekOrigin.Current));
        Assert.Equal(12, Files.Seek((int)fd, 2, SeekOrigin.End));
        Files.Close((int)fd);
        Assert.Equal("hello\0\0XY!", ReadFile("/f"));
    }

    [Fact]
    public unsafe void Readv_and_writev_gather_and_scatter()
    {
        long fd = Files.Open(B("/v"), OpenFlags.ReadWrite | OpenFlags.Create, 0x1A4);
        byte[] one = B("ab"), two = B("cde");
        fixed (byte* p1 = one)
        fixed (byte* p2 = two)
        {
            var vectors = new[] { new Osv.Vfs.Vfs.Abi.IoVector { Base = p1, Length = 2 }, new Osv.Vfs.Vfs.Abi.IoVector { Base = p2, Length = 3 } };
            Assert.Equal(5, Files.WriteVector((int)fd, vectors));
            Assert.Equal(0, Files.Seek((int)fd, 0, SeekOrigin.Set));
            one[0] = one[1] = two[0] = two[1] = two[2] = 0;
            Assert.Equal(5, Files.ReadVector((int)fd, vectors));
        }
        Assert.Equal("abcde", System.Text.Encoding.ASCII.GetString(one) + System.Text.Encoding.ASCII.GetString(two));
        Files.Close((int)fd);
    }

    [Fact]
    public void Mkdir_rmdir_unlink()
    {
        Mkdir("/d");
        WriteFile("/d/f", "x");
        Assert.Equal(-Errno.EEXIST, Files.MakeDirectory(B("/d"), 0x1ED));
        Assert.Equal(-Errno.EEXIST, Files.MakeDirectory(B("/"), 0x1ED));
        Assert.Equal(-Errno.EEXIST, Files.MakeDirectory(B("/d/."), 0x1ED));
        Assert.Equal(-Errno.ENOENT, Files.MakeDirectory(B("/x/y"), 0x1ED));
        Assert.Equal(-Errno.ENOTEMPTY, Files.RemoveDirectory(B("/d")));
        Assert.Equal(-Errno.ENOTDIR, Files.RemoveDirectory(B("/d/f")));
        Assert.Equal(-Errno.EINVAL, Files.RemoveDirectory(B("/d/.")));
        Assert.Equal(-Errno.ENOTEMPTY, Files.RemoveDirectory(B("/d/..")));
        Assert.Equal(-Errno.EBUSY, Files.RemoveDirectory(B("/")));
        Assert.Equal(-Errno.EISDIR, Files.Unlink(B("/d")));
        Assert.Equal(-Errno.ENOTDIR, Files.Unlink(B("/d/f/")));
        Assert.Equal(-Errno.ENOENT, Files.Unlink(B("/d/g")));
        Assert.Equal(-Errno.EINVAL, Files.UnlinkAt(AtFlags.CurrentDirectory, B("/d/f"), 0x1));
        Assert.Equal(0, Files.Unlink(B("/d/f")));
        Assert.Equal(0, Files.UnlinkAt(AtFlags.CurrentDirectory, B("/d"), AtFlags.RemoveDirectory));
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/d"), out _));
    }

    [Fact]
    public void Rename_cases()
    {
        Mkdir("/d");
        Mkdir("/d/sub");
        Mkdir("/e");
        WriteFile("/f", "F");
        WriteFile("/g", "G");
        Assert.Equal(-Errno.ENOENT, Files.Rename(B("/nope"), B("/x")));
        Assert.Equal(-Errno.EINVAL, Files.Rename(B("/d"), B("/d/sub/inside")));
        Assert.Equal(-Errno.EISDIR, Files.Rename(B("/f"), B("/d")));
        Assert.Equal(-Errno.ENOTDIR, Files.Rename(B("/d"), B("/f")));
        Assert.Equal(-Errno.ENOTEMPTY, Files.Rename(B("/e"), B("/d")));
        Assert.Equal(-Errno.EBUSY, Files.Rename(B("/d/."), B("/x")));
        Assert.Equal(-Errno.ENOTDIR, Files.Rename(B("/f/"), B("/x")));
        Assert.Equal(0, Files.Rename(B("/f"), B("/g"))); // replaces
        Assert.Equal("F", ReadFile("/g"));
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/f"), out _));
        Assert.Equal(0, Files.Rename(B("/d/sub"), B("/e/moved")));
        Assert.Equal(0, Files.Stat(B("/e"), out var e));
        Assert.Equal(3UL, e.LinkCount);
        Assert.Equal(0, Files.Stat(B("/d"), out var d));
        Assert.Equal(2UL, d.LinkCount);
        Assert.Equal(0, Files.ChangeDirectory(B("/e/moved")));
        Assert.Equal("/e/moved", Cwd());
        Assert.Equal(0, Files.Rename(B("/d"), B("/e/moved/../../d2"))); // empty dir over nothing
        Assert.Equal(0, Files.Rename(B("/e/moved"), B("/d2"))); // empty dir replaces empty dir
        Assert.Equal("/d2", Cwd());
    }

    [Fact]
    public void Link_symlink_readlink()
    {
        Mkdir("/d");
        WriteFile("/f", "x");
        Assert.Equal(-Errno.EPERM, Files.Link(B("/d"), B("/d2")));
        Assert.Equal(-Errno.EEXIST, Files.Link(B("/f"), B("/d")));
        Assert.Equal(-Errno.ENOENT, Files.Link(B("/nope"), B("/n")));
        Assert.Equal(0, Files.Link(B("/f"), B("/h")));
        Assert.Equal(0, Files.Stat(B("/f"), out var stat));
        Assert.Equal(2UL, stat.LinkCount);
        Assert.Equal(-Errno.ENOENT, Files.Symlink(B(""), B("/s")));
        Assert.Equal(-Errno.EEXIST, Files.Symlink(B("/f"), B("/h")));
        Assert.Equal(0, Files.Symlink(B("some/target"), B("/s")));
        var buffer = new byte[64];
        Assert.Equal(11, Files.ReadLink(B("/s"), buffer));
        Assert.Equal(4, Files.ReadLink(B("/s"), new byte[4])); // truncated, no NUL
        Assert.Equal(-Errno.EINVAL, Files.ReadLink(B("/f"), buffer));
        Assert.Equal(-Errno.EINVAL, Files.ReadLink(B("/s"), new byte[0]));
        Assert.Equal(0, Files.LinkStat(B("/s"), out stat));
        Assert.Equal(11, stat.Size);
    }

    [Fact]
    public void Truncate_grows_with_zeros_and_shrinks()
    {
        WriteFile("/f", "abcdef");
        Assert.Equal(0, Files.Truncate(B("/f"), 3));
        Assert.Equal("abc", ReadFile("/f"));
        Assert.Equal(0, Files.Truncate(B("/f"), 5));
        Assert.Equal("abc\0\0", ReadFile("/f"));
        Assert.Equal(-Errno.EINVAL, Files.Truncate(B("/f"), -1));
        Mkdir("/d");
        Assert.Equal(-Errno.EISDIR, Files.Truncate(B("/d"), 0));
        long ro = Files.Open(B("/f"), OpenFlags.ReadOnly, 0);
        Assert.Equal(-Errno.EINVAL, Files.FileTruncate((int)ro, 0));
        long rw = Files.Open(B("/f"), OpenFlags.ReadWrite, 0);
        Assert.Equal(0, Files.FileTruncate((int)rw, 1));
        Assert.Equal(0, Files.Sync((int)rw));
        Assert.Equal(-Errno.EBADF, Files.Sync(77));
        Files.Close((int)ro);
        Files.Close((int)rw);
        Assert.Equal("a", ReadFile("/f"));
    }

    [Fact]
    public void Access_and_statfs()
    {
        WriteFile("/f", "x");
        Assert.Equal(0, Files.Access(B("/f"), AccessModes.Read | AccessModes.Write));
        Assert.Equal(-Errno.EACCES, Files.Access(B("/f"), AccessModes.Execute));
        Assert.Equal(0, Files.Access(B("/"), AccessModes.Execute));
        Assert.Equal(-Errno.EINVAL, Files.Access(B("/f"), 8));
        Assert.Equal(-Errno.ENOENT, Files.Access(B("/g"), 0));
        Assert.Equal(0, Files.StatFileSystem(B("/f"), out var statfs));
        Assert.Equal(Osv.Vfs.Ramfs.RamfsFileSystem.Magic, statfs.Type);
        Assert.Equal(PathLimits.NameMax, statfs.NameLength);
        Assert.Equal(0, statfs.Flags);
    }

    [Fact]
    public void Openat_and_fstatat_resolve_against_the_directory_descriptor()
    {
        Mkdir("/d");
        WriteFile("/d/f", "in d");
        WriteFile("/top", "t");
        long dir = Files.Open(B("/d"), OpenFlags.ReadOnly | OpenFlags.Directory, 0);
        long fd = Files.OpenAt((int)dir, B("f"), OpenFlags.ReadOnly, 0);
        Assert.True(fd >= 0);
        Assert.Equal(0, Files.StatAt((int)dir, B("f"), out var stat, 0));
        Assert.Equal(4, stat.Size);
        Assert.Equal(0, Files.StatAt((int)fd, B(""), out stat, AtFlags.EmptyPath));
        Assert.Equal(4, stat.Size);
        Assert.Equal(-Errno.ENOENT, Files.StatAt((int)fd, B(""), out _, 0));
        Assert.Equal(-Errno.ENOTDIR, Files.StatAt((int)fd, B("x"), out _, 0));
        Assert.Equal(-Errno.EBADF, Files.StatAt(55, B("x"), out _, 0));
        Assert.Equal(0, Files.StatAt(55, B("/top"), out _, 0)); // absolute paths ignore dirfd
        Assert.Equal(-Errno.EINVAL, Files.StatAt((int)dir, B("f"), out _, 0x4));
        Files.Close((int)fd);
        Files.Close((int)dir);
    }
}
