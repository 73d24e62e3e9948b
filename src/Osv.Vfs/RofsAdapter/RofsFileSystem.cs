using System;
using Osv.Vfs.Rofs;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.RofsAdapter;

/// <summary>
/// A mounted <see cref="RofsVolume"/> seen through the vnode interface, read-only (the VFS answers
/// -EROFS to every change). rofs stores no parent links, so mounting records each directory's
/// parent once (one pass over the entries) for "..". Owns the volume: <see cref="Destroy"/> disposes it.
/// </summary>
public sealed unsafe class RofsFileSystem : FileSystem
{
    private readonly RofsVolume _volume;
    private readonly NativeAllocator _allocator;
    private ulong* _parents; // indexed by inode number; 0 for non-directories
    private RofsVnode? _root;

    private RofsFileSystem(RofsVolume volume, in NativeAllocator allocator, IVfsLock fileSystemLock, ulong* parents)
        : base(fileSystemLock, readOnly: true)
    {
        _volume = volume;
        _allocator = allocator;
        _parents = parents;
    }

    /// <summary>Wraps a mounted volume (ownership moves in on success). -ENOMEM, or -EIO for a damaged tree.</summary>
    public static long Create(RofsVolume volume, in NativeAllocator allocator, IVfsLock fileSystemLock, out RofsFileSystem? fileSystem)
    {
        fileSystem = null;
        ulong inodeCount = volume.Superblock.InodeCount;
        ulong* parents = (ulong*)allocator.Allocate((nuint)((inodeCount + 1) * sizeof(ulong)));
        if (parents == null)
            return -Errno.ENOMEM;
        new Span<ulong>(parents, (int)inodeCount + 1).Clear();
        long status = RecordParents(volume, parents);
        RofsInode root = default;
        if (status == 0)
            status = ToErrno(volume.GetInode(RofsLayout.RootInodeNumber, out root));
        if (status != 0)
        {
            allocator.Free(parents);
            return status;
        }
        parents[RofsLayout.RootInodeNumber] = RofsLayout.RootInodeNumber;
        var created = new RofsFileSystem(volume, allocator, fileSystemLock, parents);
        created._root = new RofsVnode(created, root);
        fileSystem = created;
        return 0;
    }

    private static long RecordParents(RofsVolume volume, ulong* parents)
    {
        ulong inodeCount = volume.Superblock.InodeCount;
        for (ulong number = 1; number <= inodeCount; number++)
        {
            if (!volume.GetInode(number, out RofsInode directory).IsOk || !directory.IsDirectory)
                continue;
            for (ulong i = 0; i < directory.Count; i++)
            {
                RofsResult result = volume.ReadDirectoryEntry(directory, i, out RofsDirectoryEntry entry);
                if (!result.IsOk)
                    return ToErrno(result);
                if (entry.InodeNumber >= 1 && entry.InodeNumber <= inodeCount)
                    parents[entry.InodeNumber] = number;
            }
        }
        return 0;
    }

    internal static long ToErrno(in RofsResult result)
    {
        if (result.IsOk)
            return 0;
        if (result.Status == RofsStatus.NotFound)
            return -Errno.ENOENT;
        return result.Errno != 0 ? -Math.Abs(result.Errno) : -Errno.EIO;
    }

    internal RofsVolume Volume => _volume;

    public override ReadOnlySpan<byte> TypeName => "rofs"u8;

    public override Vnode Root => _root!;

    /// <summary>A vnode for inode <paramref name="number"/>, held: the root object for 1, a fresh one otherwise.</summary>
    internal long GetVnode(ulong number, out Vnode? vnode)
    {
        vnode = null;
        if (number == RofsLayout.RootInodeNumber)
        {
            vnode = _root;
        }
        else
        {
            long status = ToErrno(_volume.GetInode(number, out RofsInode inode));
            if (status != 0)
                return status;
            vnode = new RofsVnode(this, inode);
        }
        vnode!.Hold();
        return 0;
    }

    internal ulong ParentOf(ulong number) => _parents[number];

    public override void GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = default;
        statistics.Magic = unchecked((long)RofsLayout.Magic);
        statistics.BlockSize = RofsLayout.BlockSize;
        statistics.TotalBlocks = _volume.Superblock.StructureFirstBlock + _volume.Superblock.StructureBlockCount;
        statistics.TotalNodes = _volume.Superblock.InodeCount;
        statistics.NameMax = PathLimits.NameMax;
    }

    public override void Destroy()
    {
        ObjectRelease.Free(_root);
        _root = null;
        _allocator.Free(_parents);
        _parents = null;
        _volume.Dispose();
        ObjectRelease.Free(_volume);
    }
}
