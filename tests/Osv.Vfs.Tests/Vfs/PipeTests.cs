using Osv.Vfs.Pipes;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

public sealed class PipeTests : VfsTestKit
{
    private (int Read, int Write) MakePipe(int flags = 0)
    {
        var fds = new int[2];
        Assert.Equal(0, Files.Pipe2(fds, flags));
        return (fds[0], fds[1]);
    }

    [Fact]
    public void Data_flows_and_eof_follows_the_last_writer()
    {
        var (r, w) = MakePipe();
        Assert.Equal(5, Files.Write(w, B("hello")));
        var buffer = new byte[3];
        Assert.Equal(3, Files.Read(r, buffer));
        Assert.Equal(2, Files.Read(r, buffer));
        Assert.Equal(-Errno.EBADF, Files.Read(w, buffer));
        Assert.Equal(-Errno.EBADF, Files.Write(r, B("x")));
        Assert.Equal(-Errno.ESPIPE, Files.Seek(r, 0, SeekOrigin.Set));
        Assert.Equal(-Errno.ESPIPE, Files.PositionalRead(r, buffer, 0));
        Assert.Equal(0, Files.Close(w));
        Assert.Equal(0, Files.Read(r, buffer));
        Assert.Equal(0, Files.Close(r));
    }

    [Fact]
    public void Nonblocking_empty_and_full_are_EAGAIN()
    {
        var (r, w) = MakePipe(OpenFlags.NonBlocking | OpenFlags.CloseOnExec);
        Assert.Equal(FcntlCommands.CloseOnExecFlag, Files.Control(r, FcntlCommands.GetDescriptorFlags, 0));
        Assert.Equal(-Errno.EAGAIN, Files.Read(r, new byte[1]));
        var big = new byte[PipeVnode.Capacity + 100];
        Assert.Equal(PipeVnode.Capacity, Files.Write(w, big));   // partial: what fits
        Assert.Equal(-Errno.EAGAIN, Files.Write(w, B("x")));
        Assert.Equal(PipeVnode.Capacity, Files.Read(r, new byte[PipeVnode.Capacity * 2]));
    }

    [Fact]
    public void Write_without_readers_is_EPIPE_and_poll_reports_it()
    {
        var (r, w) = MakePipe();
        var poll = new[] { new PollDescriptor { Descriptor = r, Events = PollEvents.In }, new PollDescriptor { Descriptor = w, Events = PollEvents.Out }, new PollDescriptor { Descriptor = 40, Events = PollEvents.In }, new PollDescriptor { Descriptor = -1, Events = PollEvents.In } };
        Assert.Equal(2, Files.Poll(poll));
        Assert.Equal(0, poll[0].ReturnedEvents);
        Assert.Equal(PollEvents.Out, poll[1].ReturnedEvents);
        Assert.Equal(PollEvents.Invalid, poll[2].ReturnedEvents);
        Assert.Equal(0, poll[3].ReturnedEvents);
        Files.Write(w, B("x"));
        Files.Poll(poll);
        Assert.Equal(PollEvents.In, poll[0].ReturnedEvents);
        Assert.Equal(0, Files.Close(r));
        Assert.Equal(-Errno.EPIPE, Files.Write(w, B("x")));
        Files.Poll(poll);
        Assert.Equal(PollEvents.Error, poll[1].ReturnedEvents);
        Assert.Equal(0, Files.Close(w));
    }

    [Fact]
    public void Hangup_after_writer_closes()
    {
        var (r, w) = MakePipe();
        Files.Close(w);
        var poll = new[] { new PollDescriptor { Descriptor = r, Events = PollEvents.In } };
        Assert.Equal(1, Files.Poll(poll));
        Assert.Equal(PollEvents.HangUp, poll[0].ReturnedEvents);
    }

    [Fact]
    public void Default_policy_cannot_block_and_bad_pipe2_flags_are_EINVAL()
    {
        var (r, w) = MakePipe();
        var buffer = new byte[4];
        Assert.Equal(-Errno.EAGAIN, Files.Read(r, buffer));
        Assert.Equal(1, Files.Write(w, B("z")));
        Assert.Equal(1, Files.Read(r, buffer));
        Assert.Equal(-Errno.EINVAL, Files.Pipe2(new int[2], OpenFlags.Append));
    }

    /// <summary>A wait that "runs another thread": its action changes the pipe, then the blocked call looks again.</summary>
    private sealed class ScriptedWaitPolicy : IWaitPolicy, IWaitPolicyFactory
    {
        public System.Action? OnWait;
        public int Waits;
        public int Wakes;
        public void Acquire() { }
        public void Release() { }
        public long Wait()
        {
            Waits++;
            System.Action? action = OnWait;
            OnWait = null;
            if (action is null)
                return -Errno.EINTR;
            action();
            return 0;
        }
        public void WakeAll() => Wakes++;
        public IWaitPolicy? Create() => this;
        public void Destroy(IWaitPolicy policy) { }
    }

    [Fact]
    public void Blocking_read_and_write_wait_through_the_policy()
    {
        var policy = new ScriptedWaitPolicy();
        var pipes = new PipeFileSystem(Allocator, policy);
        var files = new ProcessFiles(Vfs, new FileDescriptorTable(new NoLock()), pipes);
        var fds = new int[2];
        Assert.Equal(0, files.Pipe(fds));
        var buffer = new byte[8];
        policy.OnWait = () => Assert.Equal(2, files.Write(fds[1], B("hi")));
        Assert.Equal(2, files.Read(fds[0], buffer));
        Assert.Equal(1, policy.Waits);
        Assert.Equal(-Errno.EINTR, files.Read(fds[0], buffer)); // a wait that gives up
        // A full pipe blocks a small write until the reader makes room.
        Assert.Equal(PipeVnode.Capacity, files.Write(fds[1], new byte[PipeVnode.Capacity]));
        policy.OnWait = () => Assert.Equal(8, files.Read(fds[0], buffer));
        Assert.Equal(8, files.Write(fds[1], new byte[8]));
        Assert.True(policy.Wakes > 0);
        files.Dispose();
        Assert.Equal(0, pipes.LivePipes);
    }
}
