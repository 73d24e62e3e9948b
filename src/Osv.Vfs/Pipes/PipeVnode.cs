using System;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Pipes;

/// <summary>
/// A pipe: a 64 KiB ring buffer with counts of the open read and write ends. Reads take what is
/// there (0 once no writer is left); writes of up to <see cref="AtomicWriteSize"/> bytes go in
/// whole; with no reader a write is -EPIPE. O_NONBLOCK turns a wait into -EAGAIN; otherwise the
/// <see cref="IWaitPolicy"/> blocks. Freed with its buffer when the last reference goes.
/// </summary>
public sealed unsafe class PipeVnode : Vnode
{
    public const int Capacity = 64 * 1024;

    /// <summary>PIPE_BUF: writes up to this size are never interleaved with others.</summary>
    public const int AtomicWriteSize = 4096;

    private readonly PipeFileSystem _pipes;
    private readonly IWaitPolicy _wait;
    private byte* _buffer;
    private int _head;    // next byte to read
    private int _count;
    private int _readers;
    private int _writers;

    private PipeVnode(PipeFileSystem pipes, IWaitPolicy wait, byte* buffer)
        : base(pipes, pipes.NextNodeId(), VnodeType.Fifo)
    {
        _pipes = pipes;
        _wait = wait;
        _buffer = buffer;
    }

    internal static long Create(PipeFileSystem pipes, out PipeVnode? pipe)
    {
        pipe = null;
        byte* buffer = (byte*)pipes.Allocator.Allocate(Capacity);
        if (buffer == null)
            return -Errno.ENOMEM;
        IWaitPolicy? wait = pipes.WaitPolicies.Create();
        if (wait is null)
        {
            pipes.Allocator.Free(buffer);
            return -Errno.ENOMEM;
        }
        pipe = new PipeVnode(pipes, wait, buffer);
        pipes.LivePipes++;
        return 0;
    }

    public override bool SynchronizesItself => true;
    public override bool IsSeekable => false;

    /// <summary>Bytes waiting to be read.</summary>
    public int BufferedBytes => _count;

    public override void GetAttributes(out VnodeAttributes attributes)
    {
        attributes = default;
        attributes.Mode = FileModes.Fifo | 0x180; // prw-------
        attributes.LinkCount = 1;
        attributes.BlockSize = 4096;
    }

    public override long Open(int flags)
    {
        _wait.Acquire();
        if (OpenFlags.CanRead(flags))
            _readers++;
        if (OpenFlags.CanWrite(flags))
            _writers++;
        _wait.WakeAll();
        _wait.Release();
        return 0;
    }

    public override void Close(int flags)
    {
        _wait.Acquire();
        if (OpenFlags.CanRead(flags))
            _readers--;
        if (OpenFlags.CanWrite(flags))
            _writers--;
        _wait.WakeAll(); // blocked peers see EOF or EPIPE
        _wait.Release();
    }

    public override long Read(ulong offset, Span<byte> destination, int flags)
    {
        if (destination.IsEmpty)
            return 0;
        _wait.Acquire();
        long result;
        while (true)
        {
            if (_count > 0)
            {
                result = TakeBytes(destination);
                _wait.WakeAll();
                break;
            }
            if (_writers == 0)
            {
                result = 0;
                break;
            }
            result = (flags & OpenFlags.NonBlocking) != 0 ? -Errno.EAGAIN : _wait.Wait();
            if (result < 0)
                break;
        }
        _wait.Release();
        return result;
    }

    public override long Write(ulong offset, ReadOnlySpan<byte> source, int flags)
    {
        _wait.Acquire();
        long written = 0;
        long result = 0;
        while (true)
        {
            if (_readers == 0)
            {
                result = -Errno.EPIPE;
                break;
            }
            int remaining = source.Length - (int)written;
            int room = Capacity - _count;
            // A small write waits for room for all of it; a large one goes in as room appears.
            bool fits = remaining <= AtomicWriteSize ? room >= remaining : room > 0;
            if (fits)
            {
                written += PutBytes(source.Slice((int)written));
                _wait.WakeAll();
                if (written == source.Length)
                    break;
                continue;
            }
            result = (flags & OpenFlags.NonBlocking) != 0 ? -Errno.EAGAIN : _wait.Wait();
            if (result < 0)
                break;
        }
        _wait.Release();
        return written > 0 ? written : result;
    }

    public override short Poll(short events, int flags)
    {
        _wait.Acquire();
        int ready = 0;
        if (OpenFlags.CanRead(flags))
        {
            if (_count > 0)
                ready |= PollEvents.In | PollEvents.ReadNormal;
            if (_writers == 0)
                ready |= PollEvents.HangUp;
        }
        if (OpenFlags.CanWrite(flags))
        {
            if (_readers == 0)
                ready |= PollEvents.Error;
            else if (Capacity - _count >= AtomicWriteSize)
                ready |= PollEvents.Out | PollEvents.WriteNormal;
        }
        _wait.Release();
        // POLLERR and POLLHUP are reported whether asked for or not.
        return (short)(ready & (events | PollEvents.Error | PollEvents.HangUp));
    }

    private int TakeBytes(Span<byte> destination)
    {
        int count = destination.Length < _count ? destination.Length : _count;
        int first = Capacity - _head < count ? Capacity - _head : count;
        new ReadOnlySpan<byte>(_buffer + _head, first).CopyTo(destination);
        new ReadOnlySpan<byte>(_buffer, count - first).CopyTo(destination.Slice(first));
        _head = (_head + count) % Capacity;
        _count -= count;
        return count;
    }

    private int PutBytes(ReadOnlySpan<byte> source)
    {
        int room = Capacity - _count;
        int count = source.Length < room ? source.Length : room;
        int tail = (_head + _count) % Capacity;
        int first = Capacity - tail < count ? Capacity - tail : count;
        source.Slice(0, first).CopyTo(new Span<byte>(_buffer + tail, first));
        source.Slice(first, count - first).CopyTo(new Span<byte>(_buffer, count - first));
        _count += count;
        return count;
    }

    protected override void OnLastRelease()
    {
        _pipes.Allocator.Free(_buffer);
        _buffer = null;
        _pipes.WaitPolicies.Destroy(_wait);
        _pipes.LivePipes--;
        ObjectRelease.Free(this);
    }
}
