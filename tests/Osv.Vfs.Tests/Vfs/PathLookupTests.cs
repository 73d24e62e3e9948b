using System;
using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

public sealed class PathLookupTests : VfsTestKit
{
    [Fact]
    public void Resolves_absolute_relative_dot_and_dotdot()
    {
        Mkdir("/a");
        Mkdir("/a/b");
        WriteFile("/a/b/f", "hello");
        Assert.Equal("hello", ReadFile("/a/./b/../b//f"));
        Assert.Equal(0, Files.ChangeDirectory(B("/a/b")));
        Assert.Equal("hello", ReadFile("f"));
        Assert.Equal("hello", ReadFile("../../a/b/f"));
        Assert.Equal("hello", ReadFile("/../../a/b/f")); // ".." at the root stays there
        Assert.Equal("/a/b", Cwd());
    }

    [Fact]
    public void Empty_path_is_ENOENT_and_missing_components_ENOENT()
    {
        Assert.Equal(-Errno.ENOENT, Files.Open(B(""), OpenFlags.ReadOnly, 0));
        Assert.Equal(-Errno.ENOENT, Files.Open(B("/nope/x"), OpenFlags.ReadOnly, 0));
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/nope"), out _));
    }

    [Fact]
    public void File_used_as_directory_is_ENOTDIR()
    {
        WriteFile("/f", "x");
        Assert.Equal(-Errno.ENOTDIR, Files.Stat(B("/f/x"), out _));
        Assert.Equal(-Errno.ENOTDIR, Files.Stat(B("/f/"), out _));
        Assert.Equal(-Errno.ENOTDIR, Files.Open(B("/f"), OpenFlags.ReadOnly | OpenFlags.Directory, 0));
    }

    [Fact]
    public void Trailing_slash_on_directory_is_fine()
    {
        Mkdir("/d");
        Assert.Equal(0, Files.Stat(B("/d/"), out var stat));
        Assert.Equal(FileModes.Directory, stat.Mode & FileModes.TypeMask);
        Assert.Equal(0, Files.MakeDirectory(B("/e/"), 0x1ED));
        Assert.Equal(0, Files.RemoveDirectory(B("/e/")));
    }

    [Fact]
    public void Name_and_path_limits_are_ENAMETOOLONG()
    {
        string longName = "/" + new string('n', PathLimits.NameMax + 1);
        Assert.Equal(-Errno.ENAMETOOLONG, Files.Stat(B(longName), out _));
        string maxName = "/" + new string('n', PathLimits.NameMax);
        Assert.Equal(-Errno.ENOENT, Files.Stat(B(maxName), out _));
        WriteFile(maxName, "ok");
        Assert.Equal("ok", ReadFile(maxName));
        string longPath = "/" + string.Concat(System.Linq.Enumerable.Repeat("./", PathLimits.PathMax / 2));
        Assert.Equal(-Errno.ENAMETOOLONG, Files.Stat(B(longPath), out _));
        Assert.Equal(0, Files.Stat(B(longPath.Substring(0, PathLimits.PathMax - 1)), out _));
    }

    [Fact]
    public void Symlinks_are_followed_relative_and_absolute()
    {
        Mkdir("/a");
        WriteFile("/a/target", "t");
        Assert.Equal(0, Files.Symlink(B("target"), B("/a/rel")));
        Assert.Equal(0, Files.Symlink(B("/a"), B("/abs")));
        Assert.Equal("t", ReadFile("/a/rel"));
        Assert.Equal("t", ReadFile("/abs/rel"));
        Assert.Equal("t", ReadFile("/abs/../a/target"));
        Assert.Equal(0, Files.LinkStat(B("/abs"), out var link));
        Assert.Equal(FileModes.Symlink, link.Mode & FileModes.TypeMask);
        Assert.Equal(0, Files.Stat(B("/abs/"), out var dir));
        Assert.Equal(FileModes.Directory, dir.Mode & FileModes.TypeMask);
    }

    [Fact]
    public void Symlink_loop_is_ELOOP_and_forty_links_are_allowed()
    {
        Assert.Equal(0, Files.Symlink(B("/loop2"), B("/loop1")));
        Assert.Equal(0, Files.Symlink(B("/loop1"), B("/loop2")));
        Assert.Equal(-Errno.ELOOP, Files.Stat(B("/loop1"), out _));
        Assert.Equal(-Errno.ELOOP, Files.Open(B("/loop1/x"), OpenFlags.ReadOnly, 0));

        WriteFile("/end", "e");
        Assert.Equal(0, Files.Symlink(B("/end"), B("/c0")));
        for (int i = 1; i < PathLimits.MaxSymlinkFollows; i++)
            Assert.Equal(0, Files.Symlink(B("/c" + (i - 1)), B("/c" + i)));
        Assert.Equal("e", ReadFile("/c39"));               // 40 links
        Assert.Equal(0, Files.Symlink(B("/c39"), B("/c40")));
        Assert.Equal(-Errno.ELOOP, Files.Stat(B("/c40"), out _)); // 41
    }

    [Fact]
    public void Nofollow_open_of_symlink_is_ELOOP_and_dangling_link_is_ENOENT()
    {
        WriteFile("/f", "x");
        Assert.Equal(0, Files.Symlink(B("/f"), B("/l")));
        Assert.Equal(-Errno.ELOOP, Files.Open(B("/l"), OpenFlags.ReadOnly | OpenFlags.NoFollow, 0));
        Assert.Equal(0, Files.Symlink(B("/missing"), B("/dangling")));
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/dangling"), out _));
        Assert.Equal(0, Files.LinkStat(B("/dangling"), out _));
        // O_CREAT through a dangling link creates its target; with O_EXCL it is EEXIST.
        Assert.Equal(-Errno.EEXIST, Files.Open(B("/dangling"), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, 0x1A4));
        long fd = Files.Open(B("/dangling"), OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4);
        Assert.True(fd >= 0);
        Files.Close((int)fd);
        Assert.Equal(0, Files.Stat(B("/missing"), out _));
    }

    [Fact]
    public void Getcwd_is_ERANGE_for_small_buffer_and_ENOENT_after_rmdir()
    {
        Mkdir("/dir");
        Assert.Equal(0, Files.ChangeDirectory(B("/dir")));
        Assert.Equal(-Errno.ERANGE, Files.GetCurrentDirectory(new byte[4]));
        Assert.Equal(5, Files.GetCurrentDirectory(new byte[5]));
        Assert.Equal(0, Files.RemoveDirectory(B("/dir")));
        Assert.Equal(-Errno.ENOENT, Files.GetCurrentDirectory(new byte[64]));
        Assert.Equal(-Errno.ENOENT, Files.Open(B("x"), OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4));
        Assert.Equal(0, Files.ChangeDirectory(B("/")));
        Assert.Equal("/", Cwd());
    }
}
