using System;
using Osv.Vfs.Vfs.Abi;

namespace Osv.Vfs.Vfs;

// stat/lstat/fstat/fstatat/statx, access/faccessat, statfs/fstatfs.
public sealed unsafe partial class ProcessFiles
{
    public long Stat(ReadOnlySpan<byte> path, out LinuxStat stat) => StatAt(AtFlags.CurrentDirectory, path, out stat, 0);

    public long LinkStat(ReadOnlySpan<byte> path, out LinuxStat stat) => StatAt(AtFlags.CurrentDirectory, path, out stat, AtFlags.SymlinkNoFollow);

    public long FileStat(int descriptor, out LinuxStat stat) => StatAt(descriptor, default, out stat, AtFlags.EmptyPath);

    /// <summary>fstatat (newfstatat): flags AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH.</summary>
    public long StatAt(int directoryDescriptor, ReadOnlySpan<byte> path, out LinuxStat stat, int flags)
    {
        stat = default;
        long status = ResolveForAttributes(directoryDescriptor, path, flags, out Vnode? node);
        if (status != 0)
            return status;
        ReadAttributes(node!, out VnodeAttributes attributes);
        stat.Device = node!.FileSystem.DeviceNumber;
        stat.Inode = node.NodeId;
        stat.LinkCount = attributes.LinkCount;
        stat.Mode = attributes.Mode;
        stat.UserId = attributes.UserId;
        stat.GroupId = attributes.GroupId;
        stat.RepresentedDevice = attributes.RepresentedDevice;
        stat.Size = attributes.Size;
        stat.BlockSize = attributes.BlockSize;
        stat.Blocks = attributes.Blocks;
        stat.AccessSeconds = attributes.AccessTime.Seconds;
        stat.AccessNanoseconds = attributes.AccessTime.Nanoseconds;
        stat.ModificationSeconds = attributes.ModificationTime.Seconds;
        stat.ModificationNanoseconds = attributes.ModificationTime.Nanoseconds;
        stat.ChangeSeconds = attributes.ChangeTime.Seconds;
        stat.ChangeNanoseconds = attributes.ChangeTime.Nanoseconds;
        node.Release();
        return 0;
    }

    /// <summary>statx: flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH (sync-type bits accepted); fills the basic stats and the mount id whatever the mask.</summary>
    public long Statx(int directoryDescriptor, ReadOnlySpan<byte> path, int flags, uint mask, out LinuxStatx statx)
    {
        statx = default;
        if ((mask & 0x80000000u) != 0) // STATX__RESERVED
            return -Errno.EINVAL;
        long status = ResolveForAttributes(directoryDescriptor, path, flags & ~0x6000, out Vnode? node); // AT_STATX_SYNC_TYPE
        if (status != 0)
            return status;
        ReadAttributes(node!, out VnodeAttributes attributes);
        statx.Mask = LinuxStatx.BasicStats | LinuxStatx.MountIdBit;
        statx.BlockSize = (uint)attributes.BlockSize;
        statx.LinkCount = (uint)attributes.LinkCount;
        statx.UserId = attributes.UserId;
        statx.GroupId = attributes.GroupId;
        statx.Mode = (ushort)attributes.Mode;
        statx.Inode = node!.NodeId;
        statx.Size = (ulong)attributes.Size;
        statx.Blocks = (ulong)attributes.Blocks;
        statx.AccessTime = ToStatxTimestamp(attributes.AccessTime);
        statx.ModificationTime = ToStatxTimestamp(attributes.ModificationTime);
        statx.ChangeTime = ToStatxTimestamp(attributes.ChangeTime);
        statx.RepresentedDeviceMajor = (uint)(attributes.RepresentedDevice >> 8);
        statx.RepresentedDeviceMinor = (uint)(attributes.RepresentedDevice & 0xFF);
        statx.DeviceMinor = (uint)node.FileSystem.DeviceNumber;
        statx.MountId = node.FileSystem.Mount is Mount mount ? (ulong)mount.Id : 0;
        node.Release();
        return 0;
    }

    private static LinuxStatxTimestamp ToStatxTimestamp(Timestamp time)
    {
        LinuxStatxTimestamp result = default;
        result.Seconds = time.Seconds;
        result.Nanoseconds = (uint)time.Nanoseconds;
        return result;
    }

    private long ResolveForAttributes(int directoryDescriptor, ReadOnlySpan<byte> path, int flags, out Vnode? node)
    {
        node = null;
        if ((flags & ~(AtFlags.SymlinkNoFollow | AtFlags.EmptyPath | AtFlags.NoAutomount)) != 0)
            return -Errno.EINVAL;
        LookupOptions options = (flags & AtFlags.SymlinkNoFollow) != 0 ? LookupOptions.None : LookupOptions.FollowFinal;
        if ((flags & AtFlags.EmptyPath) != 0)
            options |= LookupOptions.AllowEmpty;
        long status = ResolveAt(directoryDescriptor, path, options, default, out ResolvedPath resolved);
        node = resolved.Node;
        return status;
    }

    private static void ReadAttributes(Vnode node, out VnodeAttributes attributes)
    {
        NodeLock.Enter(node);
        node.GetAttributes(out attributes);
        NodeLock.Exit(node);
    }

    public long Access(ReadOnlySpan<byte> path, int mode) => AccessAt(AtFlags.CurrentDirectory, path, mode, 0);

    /// <summary>
    /// faccessat: the application runs as root, so read and write are granted (write is -EROFS on a
    /// read-only file system) and execute needs an execute bit or a directory.
    /// </summary>
    public long AccessAt(int directoryDescriptor, ReadOnlySpan<byte> path, int mode, int flags)
    {
        if ((mode & ~(AccessModes.Read | AccessModes.Write | AccessModes.Execute)) != 0)
            return -Errno.EINVAL;
        long status = ResolveForAttributes(directoryDescriptor, path, flags & ~0x200, out Vnode? node); // AT_EACCESS
        if (status != 0)
            return status;
        ReadAttributes(node!, out VnodeAttributes attributes);
        bool isData = node!.Type == VnodeType.Regular || node.IsDirectory || node.Type == VnodeType.Symlink;
        if ((mode & AccessModes.Write) != 0 && isData && node.FileSystem.IsReadOnly)
            status = -Errno.EROFS;
        else if ((mode & AccessModes.Execute) != 0 && !node.IsDirectory && (attributes.Mode & FileModes.AnyExecute) == 0)
            status = -Errno.EACCES;
        node.Release();
        return status;
    }

    public long StatFileSystem(ReadOnlySpan<byte> path, out LinuxStatfs statfs)
    {
        statfs = default;
        long status = ResolveAt(AtFlags.CurrentDirectory, path, LookupOptions.FollowFinal, default, out ResolvedPath resolved);
        if (status != 0)
            return status;
        FillStatfs(resolved.Node!.FileSystem, out statfs);
        resolved.Release();
        return 0;
    }

    public long FileStatFileSystem(int descriptor, out LinuxStatfs statfs)
    {
        statfs = default;
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        FillStatfs(file!.Node.FileSystem, out statfs);
        file.Release();
        return 0;
    }

    private static void FillStatfs(FileSystem fileSystem, out LinuxStatfs statfs)
    {
        fileSystem.Lock.Acquire();
        fileSystem.GetStatistics(out FileSystemStatistics statistics);
        fileSystem.Lock.Release();
        statfs = default;
        statfs.Type = statistics.Magic;
        statfs.BlockSize = statistics.BlockSize;
        statfs.FragmentSize = statistics.BlockSize;
        statfs.Blocks = statistics.TotalBlocks;
        statfs.FreeBlocks = statistics.FreeBlocks;
        statfs.AvailableBlocks = statistics.AvailableBlocks;
        statfs.Files = statistics.TotalNodes;
        statfs.FreeFiles = statistics.FreeNodes;
        statfs.NameLength = statistics.NameMax;
        statfs.FileSystemId0 = (int)fileSystem.DeviceNumber;
        statfs.Flags = fileSystem.IsReadOnly ? LinuxStatfs.ReadOnlyFlag : 0;
    }
}
