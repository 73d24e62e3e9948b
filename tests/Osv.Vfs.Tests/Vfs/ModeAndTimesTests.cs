using System.Text;
using Osv.Vfs.Devfs;
using Osv.Vfs.Ramfs;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Osv.Vfs.RofsAdapter;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Tests.Support;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

/// <summary>
/// chmod/fchmod/fchmodat2 and utimensat/futimens through ProcessFiles: ramfs keeps what they set,
/// read-only and fixed-mode nodes refuse, and every errno case Linux has. /t is a ramfs whose clock
/// the test moves, so change times can be told apart.
/// </summary>
public sealed unsafe class ModeAndTimesTests : VfsTestKit
{
    private const long Second = 1_000_000_000;
    private static long s_now = 100 * Second;

    private static long MovingClock() => s_now;

    public ModeAndTimesTests()
    {
        s_now = 100 * Second;
        Mkdir("/t");
        Assert.Equal(0, Vfs.Mount(B("/t"), new RamfsFileSystem(Allocator, new NoLock(), &MovingClock), B("tmpfs")));
        WriteFile("/t/f", "data");
    }

    private LinuxStat StatOf(string path, int flags = 0)
    {
        Assert.Equal(0, Files.StatAt(AtFlags.CurrentDirectory, B(path), out LinuxStat stat, flags));
        return stat;
    }

    private static Timestamp At(long seconds, long nanoseconds) => new Timestamp(seconds, nanoseconds);

    [Fact]
    public void Chmod_sets_the_permission_bits_keeps_the_type_and_moves_only_the_change_time()
    {
        s_now = 200 * Second;
        Assert.Equal(0, Files.ChangeMode(B("/t/f"), 0x10000u | 0x9EDu)); // bits above 07777 ignored; 04755
        LinuxStat stat = StatOf("/t/f");
        Assert.Equal(FileModes.Regular | 0x9EDu, stat.Mode);
        Assert.Equal(200, stat.ChangeSeconds);
        Assert.Equal(100, stat.ModificationSeconds);
        Assert.Equal(100, stat.AccessSeconds);

        Mkdir("/t/d");
        Assert.Equal(0, Files.ChangeMode(B("/t/d"), 0x1C0)); // 0700
        Assert.Equal(FileModes.Directory | 0x1C0u, StatOf("/t/d").Mode);
        Assert.Equal(0, Files.ChangeMode(B("/t/f"), 0));
        Assert.Equal(FileModes.Regular, StatOf("/t/f").Mode);
    }

    [Fact]
    public void Fchmod_and_fchmodat_forms()
    {
        long fd = Files.Open(B("/t/f"), OpenFlags.ReadOnly, 0);
        Assert.True(fd >= 0);
        Assert.Equal(0, Files.FileChangeMode((int)fd, 0x180)); // 0600, through a read-only descriptor
        Assert.Equal(FileModes.Regular | 0x180u, StatOf("/t/f").Mode);

        long dir = Files.Open(B("/t"), OpenFlags.ReadOnly | OpenFlags.Directory, 0);
        Assert.Equal(0, Files.ChangeModeAt((int)dir, B("f"), 0x124, 0)); // 0444 relative to the descriptor
        Assert.Equal(FileModes.Regular | 0x124u, StatOf("/t/f").Mode);
        Assert.Equal(0, Files.ChangeModeAt((int)fd, default, 0x1A4, AtFlags.EmptyPath));
        Assert.Equal(FileModes.Regular | 0x1A4u, StatOf("/t/f").Mode);

        long pathOnly = Files.Open(B("/t/f"), OpenFlags.Path, 0);
        Assert.True(pathOnly >= 0);
        Assert.Equal(-Errno.EBADF, Files.FileChangeMode((int)pathOnly, 0x1FF));
        Assert.Equal(0, Files.ChangeModeAt((int)pathOnly, default, 0x1ED, AtFlags.EmptyPath)); // fchmodat2 takes O_PATH
        Assert.Equal(FileModes.Regular | 0x1EDu, StatOf("/t/f").Mode);

        Assert.Equal(-Errno.EBADF, Files.FileChangeMode(99, 0x1FF));
        Assert.Equal(-Errno.EBADF, Files.ChangeModeAt(99, B("f"), 0x1FF, 0));
        Assert.Equal(-Errno.ENOTDIR, Files.ChangeModeAt((int)fd, B("x"), 0x1FF, 0));
        Assert.Equal(-Errno.EINVAL, Files.ChangeModeAt((int)dir, B("f"), 0x1FF, AtFlags.RemoveDirectory));
        Assert.Equal(-Errno.ENOENT, Files.ChangeModeAt((int)dir, default, 0x1FF, 0)); // empty path without AT_EMPTY_PATH
        Assert.Equal(-Errno.ENOENT, Files.ChangeMode(B("/t/missing"), 0x1FF));
        Assert.Equal(-Errno.ENOTDIR, Files.ChangeMode(B("/t/f/x"), 0x1FF));
        Assert.Equal(FileModes.Regular | 0x1EDu, StatOf("/t/f").Mode); // nothing above changed it
        Files.Close((int)fd);
        Files.Close((int)dir);
        Files.Close((int)pathOnly);
    }

    [Fact]
    public void Chmod_follows_symlinks_and_nofollow_on_a_symlink_is_eopnotsupp()
    {
        Assert.Equal(0, Files.Symlink(B("f"), B("/t/link")));
        Assert.Equal(0, Files.ChangeMode(B("/t/link"), 0x100)); // 0400 on the target
        Assert.Equal(FileModes.Regular | 0x100u, StatOf("/t/f").Mode);
        Assert.Equal(FileModes.Symlink | 0x1FFu, StatOf("/t/link", AtFlags.SymlinkNoFollow).Mode);
        Assert.Equal(-Errno.EOPNOTSUPP, Files.ChangeModeAt(AtFlags.CurrentDirectory, B("/t/link"), 0x1C0, AtFlags.SymlinkNoFollow));
        Assert.Equal(0, Files.ChangeModeAt(AtFlags.CurrentDirectory, B("/t/f"), 0x1C0, AtFlags.SymlinkNoFollow)); // lchmod of a file
        Assert.Equal(FileModes.Regular | 0x1C0u, StatOf("/t/f").Mode);
    }

    [Fact]
    public void Utimensat_sets_both_times_and_the_change_time_is_now()
    {
        s_now = 300 * Second + 5;
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), At(1000, 1), At(2000, 999_999_999), 0));
        LinuxStat stat = StatOf("/t/f");
        Assert.Equal((1000L, 1L), (stat.AccessSeconds, stat.AccessNanoseconds));
        Assert.Equal((2000L, 999_999_999L), (stat.ModificationSeconds, stat.ModificationNanoseconds));
        Assert.Equal((300L, 5L), (stat.ChangeSeconds, stat.ChangeNanoseconds));
    }

    [Fact]
    public void Omit_keeps_one_time_and_now_takes_the_clock()
    {
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), At(1000, 0), At(2000, 0), 0));
        s_now = 400 * Second + 7;
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), TimeUpdate.Keep, At(3000, 3), 0));
        LinuxStat stat = StatOf("/t/f");
        Assert.Equal(1000, stat.AccessSeconds);
        Assert.Equal((3000L, 3L), (stat.ModificationSeconds, stat.ModificationNanoseconds));

        s_now = 500 * Second + 9;
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), TimeUpdate.SetToNow, TimeUpdate.Keep, 0));
        stat = StatOf("/t/f");
        Assert.Equal((500L, 9L), (stat.AccessSeconds, stat.AccessNanoseconds));
        Assert.Equal(3000, stat.ModificationSeconds);
        Assert.Equal((500L, 9L), (stat.ChangeSeconds, stat.ChangeNanoseconds));
    }

    [Fact]
    public void Both_omitted_succeeds_without_looking_at_the_path_or_touching_anything()
    {
        s_now = 600 * Second;
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/missing"), TimeUpdate.Keep, TimeUpdate.Keep, 0x7777));
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), TimeUpdate.Keep, TimeUpdate.Keep, 0));
        Assert.Equal(0, Files.FileSetTimes(99, TimeUpdate.Keep, TimeUpdate.Keep));
        Assert.Equal(100, StatOf("/t/f").ChangeSeconds);
    }

    [Fact]
    public void Utimensat_errors()
    {
        Timestamp ok = At(1, 0);
        Assert.Equal(-Errno.EINVAL, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), At(1, 1_000_000_000), ok, 0));
        Assert.Equal(-Errno.EINVAL, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), ok, At(1, -1), 0));
        Assert.Equal(-Errno.EINVAL, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/f"), ok, ok, AtFlags.SymlinkFollow));
        Assert.Equal(-Errno.EINVAL, Files.FileSetTimes(0, At(1, TimeUpdate.Now + 1), ok));
        Assert.Equal(-Errno.ENOENT, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/missing"), ok, ok, 0));
        Assert.Equal(-Errno.ENOENT, Files.SetTimesAt(AtFlags.CurrentDirectory, default, ok, ok, 0));
        Assert.Equal(-Errno.EBADF, Files.SetTimesAt(99, B("f"), ok, ok, 0));
        Assert.Equal(-Errno.EBADF, Files.FileSetTimes(99, ok, ok));
        long pathOnly = Files.Open(B("/t/f"), OpenFlags.Path, 0);
        Assert.Equal(-Errno.EBADF, Files.FileSetTimes((int)pathOnly, ok, ok));
        Assert.Equal(0, Files.SetTimesAt((int)pathOnly, default, ok, ok, AtFlags.EmptyPath));
        Files.Close((int)pathOnly);
        Assert.Equal(1, StatOf("/t/f").ModificationSeconds); // only the AT_EMPTY_PATH call changed it
    }

    [Fact]
    public void Futimens_and_symlinks_themselves()
    {
        long fd = Files.Open(B("/t/f"), OpenFlags.ReadOnly, 0);
        Assert.Equal(0, Files.FileSetTimes((int)fd, At(11, 0), At(22, 0)));
        Files.Close((int)fd);
        Assert.Equal((11L, 22L), (StatOf("/t/f").AccessSeconds, StatOf("/t/f").ModificationSeconds));

        Assert.Equal(0, Files.Symlink(B("f"), B("/t/link")));
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/link"), At(33, 0), At(44, 0), AtFlags.SymlinkNoFollow));
        Assert.Equal(44, StatOf("/t/link", AtFlags.SymlinkNoFollow).ModificationSeconds);
        Assert.Equal(22, StatOf("/t/f").ModificationSeconds); // lutimes left the target alone
        Assert.Equal(0, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/t/link"), At(55, 0), At(66, 0), 0));
        Assert.Equal(66, StatOf("/t/f").ModificationSeconds);
        Assert.Equal(44, StatOf("/t/link", AtFlags.SymlinkNoFollow).ModificationSeconds);
    }

    [Fact]
    public void Read_only_rofs_refuses_with_erofs_after_the_lookup()
    {
        var tree = new RofsSourceTree().AddFile("/etc/hosts", Encoding.ASCII.GetBytes("127.0.0.1 localhost\n")).AddSymlink("/etc/link", "hosts");
        RofsResult result = RofsVolume.Mount(new MemoryBlockDevice(RofsImageWriter.Build(tree)), TrackingAllocator.AllocateFunction, TrackingAllocator.FreeFunction, 2, out RofsVolume? volume);
        Assert.True(result.IsOk);
        Assert.Equal(0, RofsFileSystem.Create(volume!, Allocator, new NoLock(), out RofsFileSystem? fileSystem));
        Mkdir("/r");
        Assert.Equal(0, Vfs.Mount(B("/r"), fileSystem!, B("/dev/vblk0.1")));
        uint before = StatOf("/r/etc/hosts").Mode;

        Assert.Equal(-Errno.EROFS, Files.ChangeMode(B("/r/etc/hosts"), 0x1FF));
        Assert.Equal(-Errno.EROFS, Files.ChangeMode(B("/r"), 0x1FF));
        Assert.Equal(-Errno.EROFS, Files.ChangeModeAt(AtFlags.CurrentDirectory, B("/r/etc/link"), 0x1FF, AtFlags.SymlinkNoFollow));
        Assert.Equal(-Errno.ENOENT, Files.ChangeMode(B("/r/etc/missing"), 0x1FF));
        Assert.Equal(-Errno.EROFS, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/r/etc/hosts"), TimeUpdate.SetToNow, TimeUpdate.SetToNow, 0));
        Assert.Equal(-Errno.ENOENT, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/r/etc/missing"), TimeUpdate.SetToNow, TimeUpdate.SetToNow, 0));
        long fd = Files.Open(B("/r/etc/hosts"), OpenFlags.ReadOnly, 0);
        Assert.True(fd >= 0);
        Assert.Equal(-Errno.EROFS, Files.FileChangeMode((int)fd, 0x1FF));
        Assert.Equal(-Errno.EROFS, Files.FileSetTimes((int)fd, At(1, 0), At(1, 0)));
        Files.Close((int)fd);
        Assert.Equal(before, StatOf("/r/etc/hosts").Mode);
    }

    [Fact]
    public void Fixed_mode_nodes_devfs_and_pipes_answer_eperm()
    {
        SyntheticFileSystem devfs = DevfsBuilder.Create(Allocator, new NoLock());
        Mkdir("/dev");
        Assert.Equal(0, Vfs.Mount(B("/dev"), devfs, B("none")));
        Assert.Equal(-Errno.EPERM, Files.ChangeMode(B("/dev"), 0x1C0));
        Assert.Equal(-Errno.EPERM, Files.SetTimesAt(AtFlags.CurrentDirectory, B("/dev"), TimeUpdate.SetToNow, TimeUpdate.SetToNow, 0));

        var ends = new int[2];
        Assert.Equal(0, Files.Pipe(ends));
        Assert.Equal(-Errno.EPERM, Files.FileChangeMode(ends[0], 0x1C0));
        Assert.Equal(-Errno.EPERM, Files.FileSetTimes(ends[1], TimeUpdate.SetToNow, TimeUpdate.SetToNow));
        Files.Close(ends[0]);
        Files.Close(ends[1]);
    }

    [Fact]
    public void Unlinked_open_file_still_changes()
    {
        long fd = Files.Open(B("/t/f"), OpenFlags.ReadWrite, 0);
        Assert.Equal(0, Files.Unlink(B("/t/f")));
        Assert.Equal(0, Files.FileChangeMode((int)fd, 0x100));
        Assert.Equal(0, Files.FileSetTimes((int)fd, At(7, 0), TimeUpdate.Keep));
        Assert.Equal(0, Files.FileStat((int)fd, out LinuxStat stat));
        Assert.Equal(FileModes.Regular | 0x100u, stat.Mode);
        Assert.Equal(7, stat.AccessSeconds);
        Files.Close((int)fd);
    }
}
