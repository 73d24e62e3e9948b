using System;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Ramfs;

/// <summary>
/// A read-write file system in memory (the root of a bootfs image, /tmp). File data, names and
/// symlink targets live in memory from the caller's allocator; <see cref="Destroy"/> (unmount)
/// frees all of it. Timestamps come from the clock callback (nanoseconds since the epoch).
/// </summary>
public sealed unsafe class RamfsFileSystem : FileSystem
{
    /// <summary>RAMFS_MAGIC (include/uapi/linux/magic.h).</summary>
    public const long Magic = 0x858458f6;

    /// <summary>Largest file size (EFBIG beyond): 1 TiB, far above what memory holds.</summary>
    public const long MaxFileSize = 1L << 40;

    private readonly delegate*<long> _clock;
    private RamfsNode? _root;
    private ulong _nextNodeId = 1;

    public RamfsFileSystem(in NativeAllocator allocator, IVfsLock fileSystemLock, delegate*<long> clock)
        : base(fileSystemLock, readOnly: false)
    {
        Allocator = allocator;
        _clock = clock;
        _root = NewNode(VnodeType.Directory, 0x1ED); // 0755
        _root.Parent = _root;
    }

    public NativeAllocator Allocator { get; }

    public override ReadOnlySpan<byte> TypeName => "ramfs"u8;

    public override Vnode Root => _root!;

    /// <summary>Nodes that exist (linked or still held); 0 after <see cref="Destroy"/>.</summary>
    public int LiveNodes { get; internal set; }

    internal Timestamp Now() => Timestamp.FromNanoseconds(_clock == null ? 0 : _clock());

    internal RamfsNode NewNode(VnodeType type, uint permissions)
    {
        LiveNodes++;
        return new RamfsNode(this, _nextNodeId++, type, permissions, Now());
    }

    public override void GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = default;
        statistics.Magic = Magic;
        statistics.BlockSize = 4096;
        statistics.TotalNodes = (ulong)LiveNodes;
        statistics.NameMax = PathLimits.NameMax;
    }

    public override void Destroy()
    {
        _root?.DestroyTree();
        _root = null;
    }
}
