using System.Threading;

namespace Osv.Vfs.Vfs;

/// <summary>
/// An open file description: the vnode, the access mode and status flags, and the offset that
/// dup'ed descriptors share. Reference-counted by the descriptors naming it; the last
/// <see cref="Release"/> closes the vnode and frees the object. The offset and flags change under
/// the vnode's file-system lock (self-synchronizing vnodes have no offset).
/// </summary>
public sealed class OpenFile
{
    private int _references = 1;

    /// <summary>Takes over the caller's hold on <paramref name="node"/>; starts with one reference.</summary>
    internal OpenFile(Vnode node, int flags)
    {
        Node = node;
        Flags = flags;
    }

    public Vnode Node { get; }

    /// <summary>Access mode and status flags (O_CLOEXEC lives in the descriptor, not here).</summary>
    public int Flags { get; internal set; }

    /// <summary>The file offset; for directories, the getdents position.</summary>
    public long Offset { get; internal set; }

    public bool CanRead => OpenFlags.CanRead(Flags) && (Flags & OpenFlags.Path) == 0;
    public bool CanWrite => OpenFlags.CanWrite(Flags) && (Flags & OpenFlags.Path) == 0;

    public int References => Volatile.Read(ref _references);

    public void Hold() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0)
            return;
        if ((Flags & OpenFlags.Path) == 0)
        {
            bool locked = !Node.SynchronizesItself;
            if (locked)
                Node.FileSystem.Lock.Acquire();
            Node.Close(Flags);
            if (locked)
                Node.FileSystem.Lock.Release();
        }
        Node.Release();
        ObjectRelease.Free(this);
    }
}
