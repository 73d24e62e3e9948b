using System;
using Osv.Vfs.Rofs;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.RofsAdapter;

/// <summary>One rofs inode as a vnode. Non-root vnodes are made per lookup and freed on their last release.</summary>
internal sealed class RofsVnode : Vnode
{
    private readonly RofsFileSystem _fileSystem;
    private readonly RofsInode _inode;

    public RofsVnode(RofsFileSystem fileSystem, in RofsInode inode)
        : base(fileSystem, inode.Number, TypeOf(inode))
    {
        _fileSystem = fileSystem;
        _inode = inode;
    }

    private static VnodeType TypeOf(in RofsInode inode) =>
        inode.IsDirectory ? VnodeType.Directory : inode.IsSymlink ? VnodeType.Symlink : VnodeType.Regular;

    public override void GetAttributes(out VnodeAttributes attributes)
    {
        attributes = default;
        attributes.Mode = _inode.Mode & 0xFFFF;
        attributes.LinkCount = IsDirectory ? 2UL : 1UL;
        attributes.Size = IsDirectory ? (long)_inode.Count * 32 : Type == VnodeType.Symlink ? LinkLength : (long)_inode.FileSize;
        attributes.Blocks = (long)RofsLayout.BlocksFor(_inode.FileSize);
        attributes.BlockSize = RofsLayout.BlockSize;
    }

    public override long Lookup(ReadOnlySpan<byte> name, out Vnode? found)
    {
        found = null;
        if (!IsDirectory)
            return -Errno.ENOTDIR;
        if (name.Length == 2 && name[0] == '.' && name[1] == '.')
            return _fileSystem.GetVnode(_fileSystem.ParentOf(NodeId), out found);
        long status = RofsFileSystem.ToErrno(_fileSystem.Volume.Lookup(_inode, name, out RofsInode child));
        if (status != 0)
            return status;
        return _fileSystem.GetVnode(child.Number, out found);
    }

    public override long ReadDirectory(ulong position, out DirectoryEntry entry)
    {
        entry = default;
        if (!IsDirectory)
            return -Errno.ENOTDIR;
        if (position >= _inode.Count)
            return 0;
        RofsVolume volume = _fileSystem.Volume;
        long status = RofsFileSystem.ToErrno(volume.ReadDirectoryEntry(_inode, position, out RofsDirectoryEntry found));
        if (status != 0)
            return status;
        status = RofsFileSystem.ToErrno(volume.GetInode(found.InodeNumber, out RofsInode child));
        if (status != 0)
            return status;
        entry = new DirectoryEntry(found.Name, found.InodeNumber, TypeOf(child), position + 1);
        return 1;
    }

    public override long Read(ulong offset, Span<byte> destination, int flags)
    {
        if (Type != VnodeType.Regular)
            return base.Read(offset, destination, flags);
        long status = RofsFileSystem.ToErrno(_fileSystem.Volume.ReadFile(_inode, offset, destination, out int read));
        return status != 0 ? status : read;
    }

    public override long Write(ulong offset, ReadOnlySpan<byte> source, int flags) => IsDirectory ? -Errno.EISDIR : -Errno.EROFS;

    public override long Truncate(ulong length) => -Errno.EROFS;

    public override long SetPermissions(uint permissions) => -Errno.EROFS;

    public override long SetTimes(Timestamp access, Timestamp modification) => -Errno.EROFS;

    public override long ReadLink(Span<byte> destination)
    {
        if (Type != VnodeType.Symlink)
            return -Errno.EINVAL;
        long status = RofsFileSystem.ToErrno(_fileSystem.Volume.ReadSymlink(_inode, out ReadOnlySpan<byte> target));
        if (status != 0)
            return status;
        int count = target.Length < destination.Length ? target.Length : destination.Length;
        target.Slice(0, count).CopyTo(destination);
        return count;
    }

    public override long LinkLength
    {
        get
        {
            if (Type != VnodeType.Symlink)
                return -Errno.EINVAL;
            long status = RofsFileSystem.ToErrno(_fileSystem.Volume.ReadSymlink(_inode, out ReadOnlySpan<byte> target));
            return status != 0 ? status : target.Length;
        }
    }

    protected override void OnLastRelease()
    {
        if (NodeId != RofsLayout.RootInodeNumber)
            ObjectRelease.Free(this);
    }
}
