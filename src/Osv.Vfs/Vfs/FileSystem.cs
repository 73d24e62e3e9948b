using System;
using System.Threading;

namespace Osv.Vfs.Vfs;

/// <summary>
/// One instance of a file system (OSv's <c>vfsops</c> plus its mount data): its root, statistics,
/// and the teardown at unmount. An instance is mounted at most once.
/// <para>
/// <see cref="Lock"/> serializes every operation on this instance's vnodes (the VFS takes it); the
/// kernel passes its mutex, host tests a no-op lock.
/// </para>
/// </summary>
public abstract class FileSystem
{
    private int _holds;

    protected FileSystem(IVfsLock fileSystemLock, bool readOnly)
    {
        Lock = fileSystemLock;
        IsReadOnly = readOnly;
    }

    public IVfsLock Lock { get; }

    public bool IsReadOnly { get; }

    /// <summary>The type name /proc/mounts shows ("ramfs", "rofs", ...).</summary>
    public abstract ReadOnlySpan<byte> TypeName { get; }

    /// <summary>The root directory. Owned by the file system; not held by this getter.</summary>
    public abstract Vnode Root { get; }

    /// <summary>st_dev of every node here; the mount table assigns it.</summary>
    public ulong DeviceNumber { get; internal set; }

    /// <summary>The mount this instance is mounted by, or null before mounting.</summary>
    public Mount? Mount { get; internal set; }

    /// <summary>References the VFS holds on vnodes of this file system; unmount is EBUSY while any exist.</summary>
    public int ActiveHolds => Volatile.Read(ref _holds);

    internal void NoteHold() => Interlocked.Increment(ref _holds);

    internal void NoteRelease() => Interlocked.Decrement(ref _holds);

    public abstract void GetStatistics(out FileSystemStatistics statistics);

    /// <summary>Frees every node and all memory. Called once, at unmount, when nothing is held.</summary>
    public abstract void Destroy();
}
