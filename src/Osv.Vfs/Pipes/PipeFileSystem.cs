using System;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Pipes;

/// <summary>
/// The unmounted file system pipe vnodes belong to (Linux's pipefs): it numbers them and gives
/// them memory and wait policies. Its own root is an empty directory no path reaches.
/// </summary>
public sealed class PipeFileSystem : FileSystem
{
    private readonly Vnode _root;
    private ulong _nextNodeId = 2;

    public PipeFileSystem(in NativeAllocator allocator, IWaitPolicyFactory waitPolicies)
        : base(new NoLock(), readOnly: false)
    {
        Allocator = allocator;
        WaitPolicies = waitPolicies;
        _root = new PipeFileSystemRoot(this);
    }

    public NativeAllocator Allocator { get; }
    public IWaitPolicyFactory WaitPolicies { get; }

    public override ReadOnlySpan<byte> TypeName => "pipefs"u8;
    public override Vnode Root => _root;

    /// <summary>Pipes alive (tests check they are all freed).</summary>
    public int LivePipes { get; internal set; }

    internal ulong NextNodeId() => _nextNodeId++;

    /// <summary>A new pipe vnode with no references yet, or -ENOMEM.</summary>
    public long CreatePipe(out PipeVnode? pipe) => PipeVnode.Create(this, out pipe);

    public override void GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = default;
        statistics.Magic = 0x50495045; // PIPEFS_MAGIC
        statistics.BlockSize = 4096;
        statistics.NameMax = PathLimits.NameMax;
    }

    public override void Destroy() => ObjectRelease.Free(_root);

    private sealed class PipeFileSystemRoot : Vnode
    {
        public PipeFileSystemRoot(FileSystem fileSystem) : base(fileSystem, 1, VnodeType.Directory) { }

        public override void GetAttributes(out VnodeAttributes attributes)
        {
            attributes = default;
            attributes.Mode = FileModes.Directory | 0x1C0;
            attributes.LinkCount = 2;
        }
    }
}
