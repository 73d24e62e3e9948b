using System;

namespace Osv.Vfs.Vfs;

// Path resolution (docs/vfs.md, "Lookup"): component by component from the root or a start
// directory, crossing into mounts on the way down and out of a mount's root into the covered
// directory on "..", expanding symlinks in place in a PATH_MAX work buffer.
public sealed unsafe partial class VirtualFileSystem
{
    /// <summary>
    /// Resolves <paramref name="path"/> from <paramref name="start"/> (relative paths) or
    /// <paramref name="processRoot"/> (absolute ones; ".." never climbs above it). With
    /// <see cref="LookupOptions.WantParent"/> the last name is copied into <paramref name="nameBuffer"/>
    /// (at least <see cref="PathLimits.NameMax"/> bytes). Returns 0 and held vnodes, or -errno and none:
    /// ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, or what a file system reports.
    /// </summary>
    public long Resolve(Vnode processRoot, Vnode start, ReadOnlySpan<byte> path, LookupOptions options, Span<byte> nameBuffer, out ResolvedPath resolved)
    {
        NamespaceLock.Acquire();
        long result = ResolveLocked(processRoot, start, path, options, nameBuffer, out resolved);
        NamespaceLock.Release();
        return result;
    }

    // The work and symlink buffers (2 x PATH_MAX) come from the allocator, not the stack: the
    // kernel runs lookups on 8 KiB syscall stacks, which two PATH_MAX buffers would fill.
    private const int LookupBufferBytes = 2 * PathLimits.PathMax;

    private long ResolveLocked(Vnode processRoot, Vnode start, ReadOnlySpan<byte> path, LookupOptions options, Span<byte> nameBuffer, out ResolvedPath resolved)
    {
        resolved = default;
        if (path.Length == 0)
        {
            if ((options & LookupOptions.AllowEmpty) == 0)
                return -Errno.ENOENT;
            start.Hold();
            resolved.Node = start;
            resolved.Kind = LastComponentKind.Root;
            return 0;
        }
        if (path.Length >= PathLimits.PathMax)
            return -Errno.ENAMETOOLONG;

        byte* buffers = (byte*)_allocator.Allocate(LookupBufferBytes);
        if (buffers == null)
            return -Errno.ENOMEM;
        long status = Walk(processRoot, start, path, options, nameBuffer, new Span<byte>(buffers, PathLimits.PathMax),
            new Span<byte>(buffers + PathLimits.PathMax, PathLimits.PathMax), out resolved);
        _allocator.Free(buffers);
        return status;
    }

    private long Walk(Vnode processRoot, Vnode start, ReadOnlySpan<byte> path, LookupOptions options, Span<byte> nameBuffer,
        Span<byte> work, Span<byte> linkBuffer, out ResolvedPath resolved)
    {
        resolved = default;
        path.CopyTo(work);
        int length = path.Length;
        int position = 0;
        int follows = 0;
        Vnode current = path[0] == '/' ? processRoot : start;
        current.Hold();

        while (true)
        {
            while (position < length && work[position] == '/')
                position++;
            if (position == length)
            {
                // Only slashes were left: "/" itself, or a symlink to "/" at the end.
                resolved.Node = current;
                resolved.Kind = LastComponentKind.Root;
                return 0;
            }

            int nameStart = position;
            while (position < length && work[position] != '/')
                position++;
            int nameEnd = position;
            while (position < length && work[position] == '/')
                position++;
            bool isLast = position == length;
            bool trailingSlash = isLast && nameEnd != length;
            ReadOnlySpan<byte> name = work.Slice(nameStart, nameEnd - nameStart);

            long status = 0;
            if (name.Length > PathLimits.NameMax)
                status = -Errno.ENAMETOOLONG;
            else if (!current.IsDirectory)
                status = -Errno.ENOTDIR;
            if (status != 0)
            {
                current.Release();
                return status;
            }

            bool isDot = name.Length == 1 && name[0] == '.';
            bool isDotDot = name.Length == 2 && name[0] == '.' && name[1] == '.';
            if (isDot || isDotDot)
            {
                if (isDotDot)
                {
                    status = StepUp(processRoot, ref current);
                    if (status != 0)
                        return status;
                }
                if (isLast)
                {
                    resolved.Node = current;
                    resolved.Kind = isDot ? LastComponentKind.Dot : LastComponentKind.DotDot;
                    resolved.TrailingSlash = trailingSlash;
                    return 0;
                }
                continue;
            }

            status = LookupChild(current, name, out Vnode? child);
            bool wantParent = isLast && (options & LookupOptions.WantParent) != 0;
            if (status != 0 && !(wantParent && status == -Errno.ENOENT))
            {
                current.Release();
                return status;
            }
            if (child is not null)
                child = CrossIntoMounts(child);

            if (child is not null && child.Type == VnodeType.Symlink && (!isLast || trailingSlash || (options & LookupOptions.FollowFinal) != 0))
            {
                status = ++follows > PathLimits.MaxSymlinkFollows
                    ? -Errno.ELOOP
                    : SpliceSymlink(child, work, ref length, nameEnd, linkBuffer);
                child.Release();
                if (status != 0)
                {
                    current.Release();
                    return status;
                }
                position = 0;
                if (work[0] == '/')
                {
                    current.Release();
                    current = processRoot;
                    current.Hold();
                }
                continue;
            }

            if (wantParent)
            {
                name.CopyTo(nameBuffer);
                resolved.Parent = current;
                resolved.Node = child;
                resolved.NameLength = name.Length;
                resolved.Kind = LastComponentKind.Name;
                resolved.TrailingSlash = trailingSlash;
                return 0;
            }
            current.Release();
            if (isLast)
            {
                if (trailingSlash && !child!.IsDirectory)
                {
                    child.Release();
                    return -Errno.ENOTDIR;
                }
                resolved.Node = child;
                resolved.Kind = LastComponentKind.Name;
                resolved.TrailingSlash = trailingSlash;
                return 0;
            }
            current = child!;
        }
    }

    /// <summary>Looks <paramref name="name"/> up in <paramref name="directory"/> under its file system's lock.</summary>
    internal static long LookupChild(Vnode directory, ReadOnlySpan<byte> name, out Vnode? child)
    {
        IVfsLock fileSystemLock = directory.FileSystem.Lock;
        fileSystemLock.Acquire();
        long status = directory.Lookup(name, out child);
        fileSystemLock.Release();
        return status;
    }

    /// <summary>While a mount covers <paramref name="node"/>, moves to that mount's root (mounts stack).</summary>
    private Vnode CrossIntoMounts(Vnode node)
    {
        while (node.IsDirectory && _mounts.Count > 1 && _mounts.MountedOn(node) is Mount mount)
        {
            Vnode mountRoot = mount.Root;
            mountRoot.Hold();
            node.Release();
            node = mountRoot;
        }
        return node;
    }

    /// <summary>
    /// "..": stays at the process root; out of a mount's root it first moves to the covered
    /// directory, then asks that file system for the parent.
    /// </summary>
    private long StepUp(Vnode processRoot, ref Vnode current)
    {
        while (true)
        {
            if (Vnode.SameNode(current, processRoot))
                return 0;
            FileSystem fileSystem = current.FileSystem;
            if (!Vnode.SameNode(current, fileSystem.Root) || fileSystem.Mount?.Covered is not Vnode covered)
                break;
            covered.Hold();
            current.Release();
            current = covered;
        }
        long status = LookupChild(current, ".."u8, out Vnode? parent);
        current.Release();
        if (status != 0)
            return status;
        current = parent!;
        return 0;
    }

    /// <summary>
    /// Replaces the resolved part of <paramref name="work"/> up to <paramref name="nameEnd"/> with the
    /// link's target: the target followed by the unresolved rest (which keeps any trailing slash).
    /// </summary>
    private static long SpliceSymlink(Vnode link, Span<byte> work, ref int length, int nameEnd, Span<byte> linkBuffer)
    {
        IVfsLock fileSystemLock = link.FileSystem.Lock;
        fileSystemLock.Acquire();
        long targetLength = link.LinkLength;
        long copied = targetLength < 0 || targetLength >= PathLimits.PathMax ? 0 : link.ReadLink(linkBuffer);
        fileSystemLock.Release();
        if (targetLength < 0)
            return targetLength;
        if (targetLength >= PathLimits.PathMax)
            return -Errno.ENAMETOOLONG;
        if (copied < 0)
            return copied;
        if (copied == 0)
            return -Errno.ENOENT;
        int restLength = length - nameEnd;
        if (copied + restLength >= PathLimits.PathMax)
            return -Errno.ENAMETOOLONG;
        work.Slice(nameEnd, restLength).CopyTo(linkBuffer.Slice((int)copied));
        length = (int)copied + restLength;
        linkBuffer.Slice(0, length).CopyTo(work);
        return 0;
    }
}
