using System;
using Osv.Vfs.Vfs.Abi;

namespace Osv.Vfs.Vfs;

// getdents64, chdir/fchdir, getcwd.
public sealed unsafe partial class ProcessFiles
{
    /// <summary>
    /// getdents64: as many linux_dirent64 records as fit, "." and ".." first; 0 at the end; -EINVAL
    /// if not even one fits. The open file's offset is the d_off of the last record written.
    /// </summary>
    public long GetDirectoryEntries64(int descriptor, Span<byte> destination)
    {
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        if ((file.Flags & OpenFlags.Path) != 0)
        {
            file.Release();
            return -Errno.EBADF;
        }
        if (!node.IsDirectory)
        {
            file.Release();
            return -Errno.ENOTDIR;
        }
        node.FileSystem.Lock.Acquire();
        long position = file.Offset;
        int written = 0;
        while (true)
        {
            int length;
            long next;
            if (position < 2)
            {
                next = position + 1;
                ulong inode = position == 0 ? node.NodeId : ParentNodeId(node);
                length = LinuxDirent64.Write(destination.Slice(written), inode, next, FileModes.DirectoryEntryType(VnodeType.Directory),
                    position == 0 ? "."u8 : ".."u8);
            }
            else
            {
                long found = node.ReadDirectory((ulong)(position - 2), out DirectoryEntry entry);
                if (found <= 0)
                {
                    if (found < 0 && written == 0)
                        status = found;
                    break;
                }
                next = (long)entry.NextPosition + 2;
                length = LinuxDirent64.Write(destination.Slice(written), entry.NodeId, next, FileModes.DirectoryEntryType(entry.Type), entry.Name);
            }
            if (length == 0)
            {
                if (written == 0)
                    status = -Errno.EINVAL;
                break;
            }
            written += length;
            position = next;
        }
        file.Offset = position;
        node.FileSystem.Lock.Release();
        file.Release();
        return status < 0 ? status : written;
    }

    /// <summary>The inode number ".." names (the directory's own at a file system's root). Called under the lock.</summary>
    private static ulong ParentNodeId(Vnode directory)
    {
        if (directory.Lookup(".."u8, out Vnode? parent) != 0 || parent is null)
            return directory.NodeId;
        ulong id = parent.NodeId;
        parent.Release();
        return id;
    }

    public long ChangeDirectory(ReadOnlySpan<byte> path)
    {
        long status = ResolveAt(AtFlags.CurrentDirectory, path, LookupOptions.FollowFinal, default, out ResolvedPath resolved);
        if (status != 0)
            return status;
        return SetCurrentDirectory(resolved.Node!);
    }

    public long ChangeDirectory(int descriptor)
    {
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        node.Hold();
        file.Release();
        return SetCurrentDirectory(node);
    }

    /// <summary>Takes over the hold on <paramref name="node"/>.</summary>
    private long SetCurrentDirectory(Vnode node)
    {
        if (!node.IsDirectory)
        {
            node.Release();
            return -Errno.ENOTDIR;
        }
        Vnode previous = _currentDirectory;
        _currentDirectory = node;
        previous.Release();
        return 0;
    }

    /// <summary>
    /// getcwd (the system call): writes the absolute path and a NUL, returns its length including the
    /// NUL; -ERANGE if the buffer is too small, -ENOENT if the directory was removed. Built by walking
    /// ".." up to the root and finding each name in its parent.
    /// </summary>
    public long GetCurrentDirectory(Span<byte> destination)
    {
        // PATH_MAX from the allocator: the kernel runs this on an 8 KiB syscall stack.
        byte* buffer = (byte*)_vfs.Allocator.Allocate(PathLimits.PathMax);
        if (buffer == null)
            return -Errno.ENOMEM;
        long result = GetCurrentDirectory(destination, new Span<byte>(buffer, PathLimits.PathMax));
        _vfs.Allocator.Free(buffer);
        return result;
    }

    private long GetCurrentDirectory(Span<byte> destination, Span<byte> path)
    {
        int start = path.Length;
        Vnode current = _currentDirectory;
        current.Hold();
        long status = 0;
        _vfs.NamespaceLock.Acquire();
        while (true)
        {
            current = LeaveMountRoots(current);
            if (Vnode.SameNode(current, _root))
                break;
            status = VirtualFileSystem.LookupChild(current, ".."u8, out Vnode? parent);
            if (status != 0)
                break;
            status = PrependNameIn(parent!, current, path, ref start);
            current.Release();
            current = parent!;
            if (status != 0)
                break;
        }
        _vfs.NamespaceLock.Release();
        current.Release();
        if (status != 0)
            return status;
        if (start == path.Length)
            path[--start] = (byte)'/';
        int length = path.Length - start;
        if (destination.Length < length + 1)
            return -Errno.ERANGE;
        path.Slice(start).CopyTo(destination);
        destination[length] = 0;
        return length + 1;
    }

    /// <summary>From a mount's root to the directory it covers, repeatedly (not above the process root).</summary>
    private Vnode LeaveMountRoots(Vnode node)
    {
        while (!Vnode.SameNode(node, _root) && Vnode.SameNode(node, node.FileSystem.Root) && node.FileSystem.Mount?.Covered is Vnode covered)
        {
            covered.Hold();
            node.Release();
            node = covered;
        }
        return node;
    }

    /// <summary>Finds <paramref name="child"/>'s name in <paramref name="directory"/> and puts "/name" in front of the path.</summary>
    private static long PrependNameIn(Vnode directory, Vnode child, Span<byte> path, ref int start)
    {
        directory.FileSystem.Lock.Acquire();
        long status = -Errno.ENOENT;
        ulong position = 0;
        while (directory.ReadDirectory(position, out DirectoryEntry entry) > 0)
        {
            if (entry.NodeId == child.NodeId)
            {
                if (entry.Name.Length + 1 > start)
                {
                    status = -Errno.ENAMETOOLONG;
                    break;
                }
                start -= entry.Name.Length;
                entry.Name.CopyTo(path.Slice(start));
                path[--start] = (byte)'/';
                status = 0;
                break;
            }
            position = entry.NextPosition;
        }
        directory.FileSystem.Lock.Release();
        return status;
    }
}
