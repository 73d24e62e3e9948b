using System;

namespace Osv.Vfs.Vfs;

// chmod/fchmod/fchmodat2 and utimensat/futimens: permission bits and timestamps.
public sealed unsafe partial class ProcessFiles
{
    private const int ChangeAtFlags = AtFlags.SymlinkNoFollow | AtFlags.EmptyPath;

    public long ChangeMode(ReadOnlySpan<byte> path, uint mode) => ChangeModeAt(AtFlags.CurrentDirectory, path, mode, 0);

    /// <summary>fchmod: an O_PATH descriptor is -EBADF, as on Linux.</summary>
    public long FileChangeMode(int descriptor, uint mode)
    {
        long status = GetChangeableNode(descriptor, out Vnode? node);
        if (status != 0)
            return status;
        status = ApplyMode(node!, mode);
        node!.Release();
        return status;
    }

    /// <summary>
    /// fchmodat2 (fchmodat is flags 0): AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. Bits above the low 12 of
    /// <paramref name="mode"/> are ignored as Linux does; a symlink itself cannot change mode
    /// (-EOPNOTSUPP, Linux 6.6 and later, which glibc's lchmod reports).
    /// </summary>
    public long ChangeModeAt(int directoryDescriptor, ReadOnlySpan<byte> path, uint mode, int flags)
    {
        if ((flags & ~ChangeAtFlags) != 0)
            return -Errno.EINVAL;
        long status = ResolveForAttributes(directoryDescriptor, path, flags, out Vnode? node);
        if (status != 0)
            return status;
        status = ApplyMode(node!, mode);
        node!.Release();
        return status;
    }

    private static long ApplyMode(Vnode node, uint mode)
    {
        if (node.FileSystem.IsReadOnly)
            return -Errno.EROFS;
        if (node.Type == VnodeType.Symlink)
            return -Errno.EOPNOTSUPP;
        NodeLock.Enter(node);
        long status = node.SetPermissions(mode & FileModes.PermissionMask);
        NodeLock.Exit(node);
        return status;
    }

    /// <summary>
    /// utimensat with a path: each time is a timestamp or a <see cref="TimeUpdate"/> marker (utimensat
    /// with a NULL times pointer is both <see cref="TimeUpdate.Now"/>). Both omitted succeeds without
    /// looking at the path, as Linux does; bad nanoseconds or flags are -EINVAL.
    /// </summary>
    public long SetTimesAt(int directoryDescriptor, ReadOnlySpan<byte> path, Timestamp access, Timestamp modification, int flags)
    {
        if (access.Nanoseconds == TimeUpdate.Omit && modification.Nanoseconds == TimeUpdate.Omit)
            return 0;
        if (!TimeUpdate.IsValid(access) || !TimeUpdate.IsValid(modification) || (flags & ~ChangeAtFlags) != 0)
            return -Errno.EINVAL;
        long status = ResolveForAttributes(directoryDescriptor, path, flags, out Vnode? node);
        if (status != 0)
            return status;
        status = ApplyTimes(node!, access, modification);
        node!.Release();
        return status;
    }

    /// <summary>futimens (utimensat with a NULL path): the same rules on a descriptor; O_PATH is -EBADF.</summary>
    public long FileSetTimes(int descriptor, Timestamp access, Timestamp modification)
    {
        if (access.Nanoseconds == TimeUpdate.Omit && modification.Nanoseconds == TimeUpdate.Omit)
            return 0;
        if (!TimeUpdate.IsValid(access) || !TimeUpdate.IsValid(modification))
            return -Errno.EINVAL;
        long status = GetChangeableNode(descriptor, out Vnode? node);
        if (status != 0)
            return status;
        status = ApplyTimes(node!, access, modification);
        node!.Release();
        return status;
    }

    private static long ApplyTimes(Vnode node, Timestamp access, Timestamp modification)
    {
        if (node.FileSystem.IsReadOnly)
            return -Errno.EROFS;
        NodeLock.Enter(node);
        long status = node.SetTimes(access, modification);
        NodeLock.Exit(node);
        return status;
    }

    /// <summary>The vnode of an open descriptor, held; -EBADF for a bad or O_PATH descriptor.</summary>
    private long GetChangeableNode(int descriptor, out Vnode? node)
    {
        node = null;
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        if ((file!.Flags & OpenFlags.Path) != 0)
            status = -Errno.EBADF;
        else
        {
            node = file.Node;
            node.Hold();
        }
        file.Release();
        return status;
    }
}
