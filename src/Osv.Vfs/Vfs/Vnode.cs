using System;
using System.Threading;

namespace Osv.Vfs.Vfs;

/// <summary>
/// A file, directory, symlink, device or pipe of one mounted file system. The virtual methods are
/// the file system's operations table (OSv's <c>vnops</c>); each defaults to the errno Linux gives
/// for a node that cannot do it, so a file system overrides only what it supports.
/// <para>
/// Lifetime: <see cref="Hold"/> / <see cref="Release"/> count the VFS's references (lookups, open
/// files, the current directory, mounts). The file system decides what the last release means
/// (<see cref="OnLastRelease"/>): ramfs frees an unlinked node, rofs frees its per-lookup vnode,
/// synthetic file systems keep their nodes until unmount. Every method that hands out a vnode
/// hands it out held.
/// </para>
/// <para>
/// Locking: the VFS calls a vnode's operations with its file-system lock held, except on vnodes
/// whose <see cref="SynchronizesItself"/> is true (pipes, consoles): those may block and take
/// their own locks.
/// </para>
/// </summary>
public abstract unsafe class Vnode
{
    private int _references;

    protected Vnode(FileSystem fileSystem, ulong nodeId, VnodeType type)
    {
        FileSystem = fileSystem;
        NodeId = nodeId;
        Type = type;
    }

    public FileSystem FileSystem { get; }

    /// <summary>The inode number: unique in its file system while the node exists.</summary>
    public ulong NodeId { get; }

    public VnodeType Type { get; }

    public bool IsDirectory => Type == VnodeType.Directory;

    public int References => Volatile.Read(ref _references);

    /// <summary>True for vnodes whose reads and writes may block: the VFS calls them without its lock.</summary>
    public virtual bool SynchronizesItself => false;

    /// <summary>False for pipes and sockets: lseek is ESPIPE and pread/pwrite too.</summary>
    public virtual bool IsSeekable => true;

    public void Hold()
    {
        Interlocked.Increment(ref _references);
        FileSystem.NoteHold();
    }

    public void Release()
    {
        FileSystem.NoteRelease();
        if (Interlocked.Decrement(ref _references) == 0)
            OnLastRelease();
    }

    /// <summary>The last VFS reference went away; the file system may free the node.</summary>
    protected virtual void OnLastRelease() { }

    /// <summary>Same node: the same object, or the same inode of the same file system (rofs makes one vnode per lookup).</summary>
    public static bool SameNode(Vnode? left, Vnode? right) =>
        left is not null && right is not null && left.FileSystem == right.FileSystem && left.NodeId == right.NodeId;

    public abstract void GetAttributes(out VnodeAttributes attributes);

    // ---- directories: names are one component (no '/', not "." — the VFS handles "." itself; ".." is the fs's) ----

    /// <summary>The child called <paramref name="name"/>, held; -ENOENT if there is none.</summary>
    public virtual long Lookup(ReadOnlySpan<byte> name, out Vnode? found)
    {
        found = null;
        return -Errno.ENOTDIR;
    }

    /// <summary>Creates a regular file (the name is known absent); hands it out held.</summary>
    public virtual long CreateFile(ReadOnlySpan<byte> name, uint permissions, out Vnode? created)
    {
        created = null;
        return -Errno.ENOTDIR;
    }

    public virtual long MakeDirectory(ReadOnlySpan<byte> name, uint permissions) => -Errno.ENOTDIR;

    public virtual long MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target) => -Errno.ENOTDIR;

    /// <summary>Adds a name for <paramref name="target"/> (same file system, not a directory: the VFS checked).</summary>
    public virtual long Link(ReadOnlySpan<byte> name, Vnode target) => -Errno.ENOTDIR;

    /// <summary>Removes a non-directory name (-EISDIR for a directory).</summary>
    public virtual long Unlink(ReadOnlySpan<byte> name) => -Errno.ENOTDIR;

    /// <summary>Removes an empty directory (-ENOTDIR for anything else, -ENOTEMPTY if not empty).</summary>
    public virtual long RemoveDirectory(ReadOnlySpan<byte> name) => -Errno.ENOTDIR;

    /// <summary>
    /// Moves <paramref name="oldName"/> to <paramref name="newDirectory"/>/<paramref name="newName"/>,
    /// replacing what is there as rename(2) does. Same file system and no directory into its own
    /// subtree: the VFS checked both.
    /// </summary>
    public virtual long Rename(ReadOnlySpan<byte> oldName, Vnode newDirectory, ReadOnlySpan<byte> newName) => -Errno.ENOTDIR;

    /// <summary>
    /// The entry at <paramref name="position"/> (0 is the first; positions are opaque). Returns 1 with
    /// the entry, 0 at the end, or -errno. "." and ".." are not listed: the VFS adds them.
    /// </summary>
    public virtual long ReadDirectory(ulong position, out DirectoryEntry entry)
    {
        entry = default;
        return -Errno.ENOTDIR;
    }

    // ---- data ----

    /// <summary>Reads at <paramref name="offset"/>: bytes read, 0 at end of file, or -errno. Flags are the open file's.</summary>
    public virtual long Read(ulong offset, Span<byte> destination, int flags) => Type == VnodeType.Directory ? -Errno.EISDIR : -Errno.EINVAL;

    public virtual long Write(ulong offset, ReadOnlySpan<byte> source, int flags) => Type == VnodeType.Directory ? -Errno.EISDIR : -Errno.EINVAL;

    /// <summary>Sets the size; growing fills with zeros.</summary>
    public virtual long Truncate(ulong length) => Type == VnodeType.Directory ? -Errno.EISDIR : -Errno.EINVAL;

    /// <summary>Copies a symlink's target into <paramref name="destination"/> (truncated to fit): the number of bytes.</summary>
    public virtual long ReadLink(Span<byte> destination) => -Errno.EINVAL;

    /// <summary>The target's length in bytes (symlinks only).</summary>
    public virtual long LinkLength => -Errno.EINVAL;

    public virtual long Fsync() => 0;

    // ---- metadata ----

    /// <summary>
    /// chmod: sets the permission bits (the low 12 of st_mode; the VFS masked the rest) and the change
    /// time. Nodes whose modes are fixed (devices, procfs, pipes) keep the default: -EPERM.
    /// </summary>
    public virtual long SetPermissions(uint permissions) => -Errno.EPERM;

    /// <summary>
    /// utimensat: sets the access and modification times, each a time or a <see cref="TimeUpdate"/>
    /// marker (the VFS checked them), and the change time to now. -EPERM by default, as for chmod.
    /// </summary>
    public virtual long SetTimes(Timestamp access, Timestamp modification) => -Errno.EPERM;

    /// <summary>Which of <paramref name="events"/> (plus POLLERR/POLLHUP) are ready now. Regular files always are.</summary>
    public virtual short Poll(short events, int flags) => (short)(events & (PollEvents.In | PollEvents.Out | PollEvents.ReadNormal | PollEvents.WriteNormal));

    public virtual long Ioctl(uint request, void* argument) => -Errno.ENOTTY;

    /// <summary>An open file description on this vnode was created (pipes count their readers and writers).</summary>
    public virtual long Open(int flags) => 0;

    /// <summary>An open file description on this vnode went away.</summary>
    public virtual void Close(int flags) { }
}
