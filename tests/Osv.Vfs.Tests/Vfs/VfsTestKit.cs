using System;
using System.Text;
using Osv.Vfs.Pipes;
using Osv.Vfs.Ramfs;
using Osv.Vfs.Tests.Support;
using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

/// <summary>
/// A name space with a ramfs root, one process's files and a pipe file system, on the tracking
/// allocator. Dispose closes everything, unmounts everything (which must succeed) and then the
/// leak check runs.
/// </summary>
public abstract unsafe class VfsTestKit : LeakCheckedTest
{
    public static long ClockNanoseconds = 1_700_000_000_123_456_789;

    protected VfsTestKit(int descriptorLimit = FileDescriptorTable.DefaultLimit)
    {
        Allocator = new NativeAllocator(TrackingAllocator.AllocateFunction, TrackingAllocator.FreeFunction);
        Vfs = new VirtualFileSystem(Allocator, new NoLock());
        RootFs = new RamfsFileSystem(Allocator, new NoLock(), &Clock);
        Assert.Equal(0, Vfs.MountRoot(RootFs, "rootfs"u8));
        Pipes = new PipeFileSystem(Allocator, new NonBlockingWaitPolicy());
        Files = new ProcessFiles(Vfs, new FileDescriptorTable(new NoLock(), descriptorLimit), Pipes);
    }

    private static long Clock() => ClockNanoseconds;

    protected NativeAllocator Allocator { get; }
    protected VirtualFileSystem Vfs { get; }
    protected RamfsFileSystem RootFs { get; }
    protected PipeFileSystem Pipes { get; }
    protected ProcessFiles Files { get; }

    public static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Creates (or truncates) a file with the given content.</summary>
    protected void WriteFile(string path, string content)
    {
        long fd = Files.Open(B(path), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate, 0x1A4);
        Assert.True(fd >= 0, $"open {path}: {fd}");
        Assert.Equal(content.Length, Files.Write((int)fd, B(content)));
        Assert.Equal(0, Files.Close((int)fd));
    }

    protected string ReadFile(string path)
    {
        long fd = Files.Open(B(path), OpenFlags.ReadOnly, 0);
        Assert.True(fd >= 0, $"open {path}: {fd}");
        var buffer = new byte[65536];
        long count = Files.Read((int)fd, buffer);
        Assert.True(count >= 0, $"read {path}: {count}");
        Assert.Equal(0, Files.Close((int)fd));
        return Encoding.UTF8.GetString(buffer, 0, (int)count);
    }

    protected string Cwd()
    {
        var buffer = new byte[4096];
        long length = Files.GetCurrentDirectory(buffer);
        Assert.True(length > 0, $"getcwd: {length}");
        return Encoding.UTF8.GetString(buffer, 0, (int)length - 1);
    }

    protected void Mkdir(string path) => Assert.Equal(0, Files.MakeDirectory(B(path), 0x1ED));

    public override void Dispose()
    {
        Files.Dispose();
        Assert.Equal(0, Vfs.UnmountAll());
        Assert.Equal(0, Pipes.LivePipes);
        base.Dispose();
    }
}
