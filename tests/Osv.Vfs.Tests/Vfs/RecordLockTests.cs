using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

public sealed unsafe class RecordLockTests : VfsTestKit
{
    private int Open(int flags)
    {
        long fd = Files.Open(B("/locked"), flags | OpenFlags.Create, 0x1A4);
        Assert.True(fd >= 0, $"open: {fd}");
        return (int)fd;
    }

    private static FileLock Lock(short type, short whence = 0) => new() { Type = type, Whence = whence, Start = 0, Length = 100 };

    [Fact]
    public void Locks_of_the_one_process_never_conflict()
    {
        int fd = Open(OpenFlags.ReadWrite);
        FileLock write = Lock(FileLock.Write);
        Assert.Equal(0, Files.RecordLock(fd, ProcessFiles.SetLock, ref write));
        FileLock again = Lock(FileLock.Write);
        Assert.Equal(0, Files.RecordLock(fd, ProcessFiles.SetLockWait, ref again));
        FileLock query = Lock(FileLock.Write);
        Assert.Equal(0, Files.RecordLock(fd, ProcessFiles.GetLock, ref query));
        Assert.Equal(FileLock.Unlock, query.Type);
        FileLock unlock = Lock(FileLock.Unlock);
        Assert.Equal(0, Files.RecordLock(fd, ProcessFiles.SetLock, ref unlock));
    }

    [Fact]
    public void A_lock_needs_the_access_it_protects()
    {
        int readOnly = Open(OpenFlags.ReadOnly);
        FileLock write = Lock(FileLock.Write);
        Assert.Equal(-Errno.EBADF, Files.RecordLock(readOnly, ProcessFiles.SetLock, ref write));
        FileLock read = Lock(FileLock.Read);
        Assert.Equal(0, Files.RecordLock(readOnly, ProcessFiles.SetLock, ref read));
        int writeOnly = Open(OpenFlags.WriteOnly);
        FileLock readOnWriteOnly = Lock(FileLock.Read);
        Assert.Equal(-Errno.EBADF, Files.RecordLock(writeOnly, ProcessFiles.SetLock, ref readOnWriteOnly));
        FileLock query = Lock(FileLock.Write);
        Assert.Equal(0, Files.RecordLock(readOnly, ProcessFiles.GetLock, ref query)); // F_GETLK asks; it needs no access
    }

    [Fact]
    public void Malformed_requests_and_bad_descriptors_are_refused()
    {
        int fd = Open(OpenFlags.ReadWrite);
        FileLock badType = Lock(7);
        Assert.Equal(-Errno.EINVAL, Files.RecordLock(fd, ProcessFiles.SetLock, ref badType));
        FileLock badWhence = Lock(FileLock.Read, whence: 3);
        Assert.Equal(-Errno.EINVAL, Files.RecordLock(fd, ProcessFiles.SetLock, ref badWhence));
        FileLock queryUnlock = Lock(FileLock.Unlock);
        Assert.Equal(-Errno.EINVAL, Files.RecordLock(fd, ProcessFiles.GetLock, ref queryUnlock));
        FileLock any = Lock(FileLock.Read);
        Assert.Equal(-Errno.EBADF, Files.RecordLock(42, ProcessFiles.SetLock, ref any));
    }

    [Fact]
    public void The_struct_is_linux_flock()
    {
        Assert.Equal(32, sizeof(FileLock));
        FileLock probe = default;
        byte* start = (byte*)&probe;
        Assert.Equal(8, (int)((byte*)&probe.Start - start));
        Assert.Equal(16, (int)((byte*)&probe.Length - start));
        Assert.Equal(24, (int)((byte*)&probe.ProcessId - start));
    }
}
