using System;

namespace Osv.Vfs.Vfs;

// open/openat/creat, close.
public sealed unsafe partial class ProcessFiles
{
    public long Open(ReadOnlySpan<byte> path, int flags, uint mode) => OpenAt(AtFlags.CurrentDirectory, path, flags, mode);

    public long OpenAt(int directoryDescriptor, ReadOnlySpan<byte> path, int flags, uint mode)
    {
        if ((flags & OpenFlags.Path) != 0)
            flags &= OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec;
        bool create = (flags & OpenFlags.Create) != 0;
        bool exclusive = create && (flags & OpenFlags.Exclusive) != 0;
        LookupOptions options = LookupOptions.None;
        if ((flags & OpenFlags.NoFollow) == 0 && !exclusive)
            options |= LookupOptions.FollowFinal;
        if (create)
            options |= LookupOptions.WantParent;

        Span<byte> name = stackalloc byte[PathLimits.NameMax + 1];
        long status = ResolveAt(directoryDescriptor, path, options, name, out ResolvedPath resolved);
        if (status != 0)
            return status;
        if (create)
            status = OpenOrCreate(ref resolved, name.Slice(0, resolved.NameLength), exclusive, mode);
        Vnode? node = resolved.Node;
        resolved.Node = null;
        resolved.Release();
        if (status == 0)
            status = CheckOpenable(node!, flags);
        if (status == 0 && (flags & OpenFlags.Truncate) != 0 && node!.Type == VnodeType.Regular && (flags & OpenFlags.Path) == 0)
        {
            node.FileSystem.Lock.Acquire();
            status = node.Truncate(0);
            node.FileSystem.Lock.Release();
        }
        if (status == 0 && (flags & OpenFlags.Path) == 0)
        {
            NodeLock.Enter(node!);
            status = node!.Open(flags);
            NodeLock.Exit(node);
        }
        if (status != 0)
        {
            node?.Release();
            return status;
        }
        const int creationOnly = OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoControllingTerminal | OpenFlags.Truncate | OpenFlags.CloseOnExec;
        var file = new OpenFile(node!, flags & ~creationOnly);
        return Descriptors.Install(file, 0, (flags & OpenFlags.CloseOnExec) != 0);
    }

    /// <summary>The O_CREAT half: EEXIST/EISDIR for what exists, otherwise a new file in the parent.</summary>
    private long OpenOrCreate(ref ResolvedPath resolved, ReadOnlySpan<byte> name, bool exclusive, uint mode)
    {
        if (resolved.Kind != LastComponentKind.Name)
            return exclusive ? -Errno.EEXIST : -Errno.EISDIR;
        if (resolved.Node is Vnode existing)
        {
            if (exclusive)
                return -Errno.EEXIST;
            return existing.IsDirectory ? -Errno.EISDIR : 0;
        }
        if (resolved.TrailingSlash)
            return -Errno.EISDIR;
        Vnode parent = resolved.Parent!;
        if (parent.FileSystem.IsReadOnly)
            return -Errno.EROFS;
        parent.FileSystem.Lock.Acquire();
        long status = parent.CreateFile(name, mode & FileModes.PermissionMask & ~_umask, out Vnode? created);
        parent.FileSystem.Lock.Release();
        resolved.Node = created;
        return status;
    }

    /// <summary>What may not be opened as asked: symlinks with O_NOFOLLOW, writes to directories and read-only file systems.</summary>
    private static long CheckOpenable(Vnode node, int flags)
    {
        if ((flags & OpenFlags.Path) != 0)
            return (flags & OpenFlags.Directory) != 0 && !node.IsDirectory ? -Errno.ENOTDIR : 0;
        if (node.Type == VnodeType.Symlink)
            return -Errno.ELOOP; // only reachable with O_NOFOLLOW (or O_CREAT|O_EXCL on a link, which failed earlier)
        if ((flags & OpenFlags.Directory) != 0 && !node.IsDirectory)
            return -Errno.ENOTDIR;
        bool writes = OpenFlags.CanWrite(flags) || (flags & OpenFlags.Truncate) != 0;
        if (node.IsDirectory && (OpenFlags.CanWrite(flags) || (flags & OpenFlags.AccessModeMask) == 3))
            return -Errno.EISDIR;
        if (writes && node.FileSystem.IsReadOnly && (node.Type == VnodeType.Regular || node.IsDirectory))
            return -Errno.EROFS;
        return 0;
    }

    public long Close(int descriptor) => Descriptors.Close(descriptor);
}
