using System;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Synthetic;

/// <summary>
/// A read-only file whose bytes a generator makes on every read (so /proc/mounts is always current).
/// A read generates into allocator memory and copies the asked range; size reports 0, as Linux's /proc does.
/// </summary>
public sealed unsafe class GeneratedFile : SyntheticNode
{
    private readonly IContentGenerator _generator;

    internal GeneratedFile(SyntheticFileSystem fileSystem, IContentGenerator generator)
        : base(fileSystem, VnodeType.Regular, 0x124) // 0444
    {
        _generator = generator;
    }

    public override long Read(ulong offset, Span<byte> destination, int flags) =>
        SyntheticFileSystem.CopyGenerated(((SyntheticFileSystem)FileSystem).Allocator, _generator, offset, destination);

    public override long Write(ulong offset, ReadOnlySpan<byte> source, int flags) => -Errno.EACCES;
}
