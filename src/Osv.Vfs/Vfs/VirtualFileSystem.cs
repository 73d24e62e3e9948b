using System;

namespace Osv.Vfs.Vfs;

/// <summary>
/// The name space: the mount table and path resolution over it. It owns every mounted
/// <see cref="FileSystem"/> (unmount destroys and frees it). The name-space lock guards the mount
/// table and is held for a whole path walk; file-system locks nest inside it.
/// </summary>
public sealed unsafe partial class VirtualFileSystem
{
    private readonly NativeAllocator _allocator;
    private readonly MountTable _mounts;

    public VirtualFileSystem(in NativeAllocator allocator, IVfsLock namespaceLock)
    {
        _allocator = allocator;
        NamespaceLock = namespaceLock;
        _mounts = new MountTable(allocator);
    }

    public IVfsLock NamespaceLock { get; }

    public MountTable Mounts => _mounts;

    public NativeAllocator Allocator => _allocator;

    /// <summary>The root directory of the name space (not held), or null before <see cref="MountRoot"/>.</summary>
    public Vnode? Root => _mounts.Count == 0 ? null : _mounts.At(0).Root;

    /// <summary>Mounts <paramref name="fileSystem"/> as "/". -EBUSY if a root exists.</summary>
    public long MountRoot(FileSystem fileSystem, ReadOnlySpan<byte> device)
    {
        NamespaceLock.Acquire();
        long result = _mounts.Count != 0 ? -Errno.EBUSY : _mounts.Add(fileSystem, null, "/"u8, device, out _);
        NamespaceLock.Release();
        return result;
    }

    /// <summary>
    /// Mounts <paramref name="fileSystem"/> on the directory at the absolute <paramref name="path"/>
    /// (symlinks followed). On success the VFS owns the file system. -ENOENT, -ENOTDIR, -EINVAL (relative path).
    /// </summary>
    public long Mount(ReadOnlySpan<byte> path, FileSystem fileSystem, ReadOnlySpan<byte> device)
    {
        Vnode? root = Root;
        if (root is null)
            return -Errno.ENOENT;
        if (path.Length == 0 || path[0] != '/')
            return -Errno.EINVAL;
        if (fileSystem.Mount is not null)
            return -Errno.EBUSY;
        NamespaceLock.Acquire();
        long result = ResolveLocked(root, root, path, LookupOptions.FollowFinal, default, out ResolvedPath resolved);
        if (result == 0 && !resolved.Node!.IsDirectory)
            result = -Errno.ENOTDIR;
        if (result == 0)
        {
            result = _mounts.Add(fileSystem, resolved.Node, path, device, out _);
            if (result == 0)
                resolved.Node = null; // the mount keeps the hold on the covered directory
        }
        resolved.Release();
        NamespaceLock.Release();
        return result;
    }

    /// <summary>
    /// Unmounts the file system whose root is at <paramref name="path"/>, destroying it. -EINVAL if
    /// the path is not a mount's root, -EBUSY if anything of it is in use (open files, a current
    /// directory, mounts on it) — and for the root mount while others exist.
    /// </summary>
    public long Unmount(ReadOnlySpan<byte> path)
    {
        Vnode? root = Root;
        if (root is null)
            return -Errno.EINVAL;
        NamespaceLock.Acquire();
        long result = ResolveLocked(root, root, path, LookupOptions.FollowFinal, default, out ResolvedPath resolved);
        Mount? mount = null;
        if (result == 0)
        {
            FileSystem fileSystem = resolved.Node!.FileSystem;
            mount = fileSystem.Mount;
            if (mount is null || !Vnode.SameNode(resolved.Node, fileSystem.Root))
                result = -Errno.EINVAL;
        }
        resolved.Release();
        if (result == 0)
            result = UnmountLocked(mount!);
        NamespaceLock.Release();
        return result;
    }

    /// <summary>Unmounts everything, newest first (shutdown, tests). -EBUSY and stops at the first mount in use.</summary>
    public long UnmountAll()
    {
        NamespaceLock.Acquire();
        long result = 0;
        while (result == 0 && _mounts.Count > 0)
            result = UnmountLocked(_mounts.At(_mounts.Count - 1));
        if (result == 0)
            _mounts.Dispose();
        NamespaceLock.Release();
        return result;
    }

    private long UnmountLocked(Mount mount)
    {
        FileSystem fileSystem = mount.FileSystem;
        if (fileSystem.ActiveHolds != 0 || _mounts.HasMountsOn(fileSystem))
            return -Errno.EBUSY;
        if (mount.Covered is null && _mounts.Count > 1)
            return -Errno.EBUSY;
        _mounts.Remove(mount);
        fileSystem.Lock.Acquire();
        fileSystem.Destroy();
        fileSystem.Lock.Release();
        ObjectRelease.Free(fileSystem);
        return 0;
    }
}
