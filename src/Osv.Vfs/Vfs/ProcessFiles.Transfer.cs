using System;
using Osv.Vfs.Vfs.Abi;

namespace Osv.Vfs.Vfs;

// read/write/pread/pwrite/readv/writev, lseek, truncate/ftruncate, fsync.
public sealed unsafe partial class ProcessFiles
{
    private const long CurrentOffset = -1;

    public long Read(int descriptor, Span<byte> destination) => Transfer(descriptor, CurrentOffset, destination, default, write: false);

    public long Write(int descriptor, ReadOnlySpan<byte> source) => Transfer(descriptor, CurrentOffset, default, source, write: true);

    public long PositionalRead(int descriptor, Span<byte> destination, long offset) =>
        offset < 0 ? -Errno.EINVAL : Transfer(descriptor, offset, destination, default, write: false);

    public long PositionalWrite(int descriptor, ReadOnlySpan<byte> source, long offset) =>
        offset < 0 ? -Errno.EINVAL : Transfer(descriptor, offset, default, source, write: true);

    public long ReadVector(int descriptor, ReadOnlySpan<IoVector> vectors) => TransferVector(descriptor, vectors, write: false);

    public long WriteVector(int descriptor, ReadOnlySpan<IoVector> vectors) => TransferVector(descriptor, vectors, write: true);

    private long TransferVector(int descriptor, ReadOnlySpan<IoVector> vectors, bool write)
    {
        if (vectors.Length > 1024) // IOV_MAX
            return -Errno.EINVAL;
        ulong total = 0;
        for (int i = 0; i < vectors.Length; i++)
        {
            total += vectors[i].Length;
            if (vectors[i].Length > int.MaxValue || total > int.MaxValue)
                return -Errno.EINVAL;
        }
        long done = 0;
        for (int i = 0; i < vectors.Length; i++)
        {
            int length = (int)vectors[i].Length;
            long result = write
                ? Transfer(descriptor, CurrentOffset, default, new ReadOnlySpan<byte>(vectors[i].Base, length), write: true)
                : Transfer(descriptor, CurrentOffset, new Span<byte>(vectors[i].Base, length), default, write: false);
            if (result < 0)
                return done > 0 ? done : result;
            done += result;
            if (result < length)
                break;
        }
        return done;
    }

    /// <summary>One read or write at the file offset (<paramref name="offset"/> = -1, which it advances) or at a given offset.</summary>
    private long Transfer(int descriptor, long offset, Span<byte> destination, ReadOnlySpan<byte> source, bool write)
    {
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        if (!(write ? file.CanWrite : file.CanRead))
            status = -Errno.EBADF;
        else if (node.IsDirectory)
            status = -Errno.EISDIR;
        else if (offset != CurrentOffset && !node.IsSeekable)
            status = -Errno.ESPIPE;
        if (status == 0)
        {
            NodeLock.Enter(node);
            long position = offset != CurrentOffset ? offset : file.Offset;
            if (write && offset == CurrentOffset && (file.Flags & OpenFlags.Append) != 0 && node.IsSeekable)
            {
                node.GetAttributes(out VnodeAttributes attributes);
                position = attributes.Size;
            }
            status = write ? node.Write((ulong)position, source, file.Flags) : node.Read((ulong)position, destination, file.Flags);
            if (status > 0 && offset == CurrentOffset && node.IsSeekable)
                file.Offset = position + status;
            NodeLock.Exit(node);
        }
        file.Release();
        return status;
    }

    public long Seek(int descriptor, long offset, int whence)
    {
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        if (!node.IsSeekable)
        {
            file.Release();
            return -Errno.ESPIPE;
        }
        NodeLock.Enter(node);
        long basePosition = 0;
        if (whence == SeekOrigin.Current)
            basePosition = file.Offset;
        else if (whence == SeekOrigin.End)
        {
            node.GetAttributes(out VnodeAttributes attributes);
            basePosition = attributes.Size;
        }
        else if (whence != SeekOrigin.Set)
            status = -Errno.EINVAL;
        if (status == 0)
        {
            long target = basePosition + offset;
            if ((offset > 0 && target < basePosition) || target < 0)
                status = offset > 0 ? -Errno.EOVERFLOW : -Errno.EINVAL;
            else
                file.Offset = status = target;
        }
        NodeLock.Exit(node);
        file.Release();
        return status;
    }

    public long Truncate(ReadOnlySpan<byte> path, long length)
    {
        if (length < 0)
            return -Errno.EINVAL;
        long status = ResolveAt(AtFlags.CurrentDirectory, path, LookupOptions.FollowFinal, default, out ResolvedPath resolved);
        if (status != 0)
            return status;
        Vnode node = resolved.Node!;
        if (node.IsDirectory)
            status = -Errno.EISDIR;
        else if (node.Type != VnodeType.Regular)
            status = -Errno.EINVAL;
        else if (node.FileSystem.IsReadOnly)
            status = -Errno.EROFS;
        else
            status = LockedTruncate(node, length);
        resolved.Release();
        return status;
    }

    public long FileTruncate(int descriptor, long length)
    {
        if (length < 0)
            return -Errno.EINVAL;
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        if ((file.Flags & OpenFlags.Path) != 0)
            status = -Errno.EBADF;
        else if (!file.CanWrite || node.Type != VnodeType.Regular)
            status = -Errno.EINVAL;
        else if (node.FileSystem.IsReadOnly)
            status = -Errno.EROFS;
        else
            status = LockedTruncate(node, length);
        file.Release();
        return status;
    }

    private static long LockedTruncate(Vnode node, long length)
    {
        node.FileSystem.Lock.Acquire();
        long status = node.Truncate((ulong)length);
        node.FileSystem.Lock.Release();
        return status;
    }

    /// <summary>fsync and fdatasync (in-memory file systems have nothing to flush; block-backed ones pass it on).</summary>
    public long Sync(int descriptor)
    {
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        if ((file.Flags & OpenFlags.Path) != 0)
            status = -Errno.EBADF;
        else
        {
            NodeLock.Enter(node);
            status = node.Fsync();
            NodeLock.Exit(node);
        }
        file.Release();
        return status;
    }
}
