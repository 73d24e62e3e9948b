using System;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Synthetic;

/// <summary>A symlink whose target a generator makes when it is read (/proc/self/exe).</summary>
public sealed unsafe class GeneratedSymlink : SyntheticNode
{
    private readonly IContentGenerator _generator;

    internal GeneratedSymlink(SyntheticFileSystem fileSystem, IContentGenerator generator)
        : base(fileSystem, VnodeType.Symlink, 0x1FF)
    {
        _generator = generator;
    }

    public override long ReadLink(Span<byte> destination) =>
        SyntheticFileSystem.CopyGenerated(((SyntheticFileSystem)FileSystem).Allocator, _generator, 0, destination);

    public override long LinkLength => _generator.Generate(default);

    protected override void AddAttributes(ref VnodeAttributes attributes) => attributes.Size = LinkLength;
}
