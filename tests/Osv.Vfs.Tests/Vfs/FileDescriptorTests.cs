using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

public sealed unsafe class FileDescriptorTests : VfsTestKit
{
    public FileDescriptorTests() : base(descriptorLimit: 8) { }

    private int OpenFile(string path = "/f")
    {
        long fd = Files.Open(B(path), OpenFlags.ReadWrite | OpenFlags.Create, 0x1A4);
        Assert.True(fd >= 0, $"open: {fd}");
        return (int)fd;
    }

    [Fact]
    public void New_descriptors_take_the_lowest_free_slot()
    {
        Assert.Equal(0, OpenFile());
        Assert.Equal(1, OpenFile());
        Assert.Equal(2, OpenFile());
        Assert.Equal(0, Files.Close(1));
        Assert.Equal(1, OpenFile());
        Assert.Equal(-Errno.EBADF, Files.Close(5));
        Assert.Equal(-Errno.EBADF, Files.Close(-1));
    }

    [Fact]
    public void Limit_is_EMFILE()
    {
        for (int i = 0; i < 8; i++)
            OpenFile();
        Assert.Equal(-Errno.EMFILE, Files.Open(B("/f"), OpenFlags.ReadOnly, 0));
        Assert.Equal(-Errno.EMFILE, Files.Duplicate(0));
        Assert.Equal(-Errno.EBADF, Files.Duplicate2(0, 8));
    }

    [Fact]
    public void Dup_shares_the_offset_and_status_flags_but_not_cloexec()
    {
        int fd = OpenFile();
        long copy = Files.Duplicate(fd);
        Assert.Equal(1, copy);
        Assert.Equal(3, Files.Write(fd, B("abc")));
        Assert.Equal(3, Files.Seek((int)copy, 0, SeekOrigin.Current));
        Assert.Equal(0, Files.Control(fd, FcntlCommands.SetStatusFlags, OpenFlags.Append | OpenFlags.NonBlocking));
        Assert.Equal(OpenFlags.Append | OpenFlags.NonBlocking, Files.Control((int)copy, FcntlCommands.GetStatusFlags, 0) & (OpenFlags.Append | OpenFlags.NonBlocking));
        Assert.Equal(0, Files.Control(fd, FcntlCommands.SetDescriptorFlags, FcntlCommands.CloseOnExecFlag));
        Assert.Equal(FcntlCommands.CloseOnExecFlag, Files.Control(fd, FcntlCommands.GetDescriptorFlags, 0));
        Assert.Equal(0, Files.Control((int)copy, FcntlCommands.GetDescriptorFlags, 0));
    }

    [Fact]
    public void Dup2_replaces_and_dup3_rejects_same_descriptor()
    {
        int a = OpenFile("/a");
        int b = OpenFile("/b");
        Assert.Equal(b, Files.Duplicate2(a, b));
        Assert.Equal(1, Files.Write(b, B("x")));
        Assert.Equal(0, Files.Stat(B("/a"), out var stat));
        Assert.Equal(1, stat.Size);
        Assert.Equal(a, Files.Duplicate2(a, a));
        Assert.Equal(-Errno.EINVAL, Files.Duplicate3(a, a, 0));
        Assert.Equal(-Errno.EINVAL, Files.Duplicate3(a, 5, OpenFlags.NonBlocking));
        Assert.Equal(5, Files.Duplicate3(a, 5, OpenFlags.CloseOnExec));
        Assert.Equal(FcntlCommands.CloseOnExecFlag, Files.Control(5, FcntlCommands.GetDescriptorFlags, 0));
        Assert.Equal(-Errno.EBADF, Files.Duplicate2(7, 3));
    }

    [Fact]
    public void Fcntl_dupfd_takes_lowest_at_or_above_and_cloexec_variant_sets_flag()
    {
        int fd = OpenFile();
        Assert.Equal(4, Files.Control(fd, FcntlCommands.DuplicateDescriptor, 4));
        Assert.Equal(5, Files.Control(fd, FcntlCommands.DuplicateDescriptorCloseOnExec, 4));
        Assert.Equal(FcntlCommands.CloseOnExecFlag, Files.Control(5, FcntlCommands.GetDescriptorFlags, 0));
        Assert.Equal(-Errno.EINVAL, Files.Control(fd, FcntlCommands.DuplicateDescriptor, -1));
        Assert.Equal(-Errno.EINVAL, Files.Control(fd, 9999, 0));
        Assert.Equal(-Errno.EBADF, Files.Control(6, FcntlCommands.GetStatusFlags, 0));
        Assert.Equal(OpenFlags.ReadWrite, Files.Control(fd, FcntlCommands.GetStatusFlags, 0) & OpenFlags.AccessModeMask);
    }

    [Fact]
    public void Open_cloexec_marks_the_descriptor_and_exec_closes_it()
    {
        long fd = Files.Open(B("/x"), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.CloseOnExec, 0x1A4);
        int plain = OpenFile();
        Assert.Equal(FcntlCommands.CloseOnExecFlag, Files.Control((int)fd, FcntlCommands.GetDescriptorFlags, 0));
        Assert.Equal(0, Files.Ioctl(plain, 0x5451, null)); // FIOCLEX
        Files.Descriptors.CloseOnExec();
        Assert.Equal(0, Files.Descriptors.Count);
    }
}
