using System;

namespace Osv.Vfs.Vfs;

// mkdir, rmdir, unlink, rename, link, symlink, readlink: the calls that add or remove names.
public sealed unsafe partial class ProcessFiles
{
    public long MakeDirectory(ReadOnlySpan<byte> path, uint mode) => MakeDirectoryAt(AtFlags.CurrentDirectory, path, mode);

    public long MakeDirectoryAt(int directoryDescriptor, ReadOnlySpan<byte> path, uint mode) =>
        CreateName(directoryDescriptor, path, mode & 0x3FF & ~_umask, default); // 01777

    /// <summary>mkdir (<paramref name="symlinkTarget"/> empty) or symlink: resolve the parent, check the name is new, create.</summary>
    private long CreateName(int directoryDescriptor, ReadOnlySpan<byte> path, uint directoryMode, ReadOnlySpan<byte> symlinkTarget)
    {
        Span<byte> name = stackalloc byte[PathLimits.NameMax + 1];
        long status = ResolveAt(directoryDescriptor, path, LookupOptions.WantParent, name, out ResolvedPath resolved);
        if (status != 0)
            return status;
        status = CheckNewName(resolved);
        if (status == 0)
        {
            Vnode parent = resolved.Parent!;
            ReadOnlySpan<byte> last = name.Slice(0, resolved.NameLength);
            parent.FileSystem.Lock.Acquire();
            status = symlinkTarget.IsEmpty ? parent.MakeDirectory(last, directoryMode) : parent.MakeSymlink(last, symlinkTarget);
            parent.FileSystem.Lock.Release();
        }
        resolved.Release();
        return status;
    }

    /// <summary>A name about to be created: it must be an ordinary name that does not exist, on a writable file system.</summary>
    private static long CheckNewName(in ResolvedPath resolved)
    {
        if (resolved.Kind != LastComponentKind.Name || resolved.Node is not null)
            return -Errno.EEXIST;
        return resolved.Parent!.FileSystem.IsReadOnly ? -Errno.EROFS : 0;
    }

    public long RemoveDirectory(ReadOnlySpan<byte> path) => UnlinkAt(AtFlags.CurrentDirectory, path, AtFlags.RemoveDirectory);

    public long Unlink(ReadOnlySpan<byte> path) => UnlinkAt(AtFlags.CurrentDirectory, path, 0);

    /// <summary>unlinkat: flags 0 (unlink) or AT_REMOVEDIR (rmdir).</summary>
    public long UnlinkAt(int directoryDescriptor, ReadOnlySpan<byte> path, int flags)
    {
        if ((flags & ~AtFlags.RemoveDirectory) != 0)
            return -Errno.EINVAL;
        bool directory = flags != 0;
        Span<byte> name = stackalloc byte[PathLimits.NameMax + 1];
        long status = ResolveAt(directoryDescriptor, path, LookupOptions.WantParent, name, out ResolvedPath resolved);
        if (status != 0)
            return status;
        Vnode? node = resolved.Node;
        if (resolved.Kind != LastComponentKind.Name)
            status = !directory ? -Errno.EISDIR
                : resolved.Kind == LastComponentKind.Dot ? -Errno.EINVAL
                : resolved.Kind == LastComponentKind.DotDot ? -Errno.ENOTEMPTY
                : -Errno.EBUSY;
        else if (node is null)
            status = -Errno.ENOENT;
        else if (directory && !node.IsDirectory)
            status = -Errno.ENOTDIR;
        else if (!directory && node.IsDirectory)
            status = -Errno.EISDIR;
        else if (!directory && resolved.TrailingSlash)
            status = -Errno.ENOTDIR;
        else if (IsMountPoint(resolved.Parent!, node))
            status = -Errno.EBUSY;
        else if (resolved.Parent!.FileSystem.IsReadOnly)
            status = -Errno.EROFS;
        if (status == 0)
        {
            Vnode parent = resolved.Parent!;
            ReadOnlySpan<byte> last = name.Slice(0, resolved.NameLength);
            parent.FileSystem.Lock.Acquire();
            status = directory ? parent.RemoveDirectory(last) : parent.Unlink(last);
            parent.FileSystem.Lock.Release();
        }
        resolved.Release();
        return status;
    }

    /// <summary>True if the name in <paramref name="parent"/> led into another mount (its node is a mount's root).</summary>
    private static bool IsMountPoint(Vnode parent, Vnode node) => node.FileSystem != parent.FileSystem;

    public long Rename(ReadOnlySpan<byte> oldPath, ReadOnlySpan<byte> newPath) =>
        RenameAt(AtFlags.CurrentDirectory, oldPath, AtFlags.CurrentDirectory, newPath);

    public long RenameAt(int oldDirectoryDescriptor, ReadOnlySpan<byte> oldPath, int newDirectoryDescriptor, ReadOnlySpan<byte> newPath)
    {
        Span<byte> oldName = stackalloc byte[PathLimits.NameMax + 1];
        Span<byte> newName = stackalloc byte[PathLimits.NameMax + 1];
        long status = ResolveAt(oldDirectoryDescriptor, oldPath, LookupOptions.WantParent, oldName, out ResolvedPath from);
        if (status != 0)
            return status;
        status = ResolveAt(newDirectoryDescriptor, newPath, LookupOptions.WantParent, newName, out ResolvedPath to);
        if (status != 0)
        {
            from.Release();
            return status;
        }
        status = CheckRename(from, to);
        if (status == 0 && !Vnode.SameNode(from.Node, to.Node))
        {
            Vnode oldParent = from.Parent!;
            oldParent.FileSystem.Lock.Acquire();
            status = oldParent.Rename(oldName.Slice(0, from.NameLength), to.Parent!, newName.Slice(0, to.NameLength));
            oldParent.FileSystem.Lock.Release();
        }
        to.Release();
        from.Release();
        return status;
    }

    private long CheckRename(in ResolvedPath from, in ResolvedPath to)
    {
        if (from.Kind != LastComponentKind.Name || to.Kind != LastComponentKind.Name)
            return -Errno.EBUSY;
        Vnode? source = from.Node;
        if (source is null)
            return -Errno.ENOENT;
        Vnode oldParent = from.Parent!;
        Vnode newParent = to.Parent!;
        if (IsMountPoint(oldParent, source) || (to.Node is Vnode mounted && IsMountPoint(newParent, mounted)))
            return -Errno.EBUSY;
        if (oldParent.FileSystem != newParent.FileSystem)
            return -Errno.EXDEV;
        if (!source.IsDirectory && (from.TrailingSlash || to.TrailingSlash))
            return -Errno.ENOTDIR;
        if (oldParent.FileSystem.IsReadOnly)
            return -Errno.EROFS;
        if (to.Node is Vnode target && !Vnode.SameNode(source, target))
        {
            if (source.IsDirectory && !target.IsDirectory)
                return -Errno.ENOTDIR;
            if (!source.IsDirectory && target.IsDirectory)
                return -Errno.EISDIR;
        }
        return source.IsDirectory && IsSelfOrAncestor(source, newParent) ? -Errno.EINVAL : 0;
    }

    /// <summary>True if <paramref name="directory"/> is <paramref name="node"/> or below it (same file system: walks "..").</summary>
    private static bool IsSelfOrAncestor(Vnode directory, Vnode node)
    {
        Vnode current = node;
        current.Hold();
        bool found = false;
        while (true)
        {
            if (Vnode.SameNode(current, directory))
            {
                found = true;
                break;
            }
            if (Vnode.SameNode(current, current.FileSystem.Root))
                break;
            long status = VirtualFileSystem.LookupChild(current, ".."u8, out Vnode? parent);
            if (status != 0)
                break;
            current.Release();
            current = parent!;
        }
        current.Release();
        return found;
    }

    public long Link(ReadOnlySpan<byte> oldPath, ReadOnlySpan<byte> newPath) =>
        LinkAt(AtFlags.CurrentDirectory, oldPath, AtFlags.CurrentDirectory, newPath, 0);

    /// <summary>linkat: flags AT_SYMLINK_FOLLOW (follow a symlink oldpath) and AT_EMPTY_PATH.</summary>
    public long LinkAt(int oldDirectoryDescriptor, ReadOnlySpan<byte> oldPath, int newDirectoryDescriptor, ReadOnlySpan<byte> newPath, int flags)
    {
        if ((flags & ~(AtFlags.SymlinkFollow | AtFlags.EmptyPath)) != 0)
            return -Errno.EINVAL;
        LookupOptions options = (flags & AtFlags.SymlinkFollow) != 0 ? LookupOptions.FollowFinal : LookupOptions.None;
        if ((flags & AtFlags.EmptyPath) != 0)
            options |= LookupOptions.AllowEmpty;
        long status = ResolveAt(oldDirectoryDescriptor, oldPath, options, default, out ResolvedPath from);
        if (status != 0)
            return status;
        Span<byte> name = stackalloc byte[PathLimits.NameMax + 1];
        status = ResolveAt(newDirectoryDescriptor, newPath, LookupOptions.WantParent, name, out ResolvedPath to);
        if (status == 0)
        {
            Vnode source = from.Node!;
            status = CheckNewName(to);
            if (status == 0 && source.IsDirectory)
                status = -Errno.EPERM;
            else if (status == 0 && source.FileSystem != to.Parent!.FileSystem)
                status = -Errno.EXDEV;
            if (status == 0)
            {
                Vnode parent = to.Parent!;
                parent.FileSystem.Lock.Acquire();
                status = parent.Link(name.Slice(0, to.NameLength), source);
                parent.FileSystem.Lock.Release();
            }
            to.Release();
        }
        from.Release();
        return status;
    }

    public long Symlink(ReadOnlySpan<byte> target, ReadOnlySpan<byte> linkPath) => SymlinkAt(target, AtFlags.CurrentDirectory, linkPath);

    public long SymlinkAt(ReadOnlySpan<byte> target, int directoryDescriptor, ReadOnlySpan<byte> linkPath)
    {
        if (target.IsEmpty)
            return -Errno.ENOENT;
        if (target.Length >= PathLimits.PathMax)
            return -Errno.ENAMETOOLONG;
        return CreateName(directoryDescriptor, linkPath, 0, target);
    }

    public long ReadLink(ReadOnlySpan<byte> path, Span<byte> destination) => ReadLinkAt(AtFlags.CurrentDirectory, path, destination);

    /// <summary>readlinkat: the target's bytes (no NUL, truncated to the buffer); -EINVAL for a non-symlink or an empty buffer.</summary>
    public long ReadLinkAt(int directoryDescriptor, ReadOnlySpan<byte> path, Span<byte> destination)
    {
        if (destination.IsEmpty)
            return -Errno.EINVAL;
        long status = ResolveAt(directoryDescriptor, path, LookupOptions.AllowEmpty, default, out ResolvedPath resolved);
        if (status != 0)
            return status;
        Vnode node = resolved.Node!;
        if (node.Type != VnodeType.Symlink)
            status = path.IsEmpty ? -Errno.ENOENT : -Errno.EINVAL;
        else
        {
            node.FileSystem.Lock.Acquire();
            status = node.ReadLink(destination);
            node.FileSystem.Lock.Release();
        }
        resolved.Release();
        return status;
    }
}
