using System;
using Osv.Vfs.Formats;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Synthetic;

/// <summary>A fixed directory whose children the kernel adds at start-up (applications cannot change it).</summary>
public sealed class SyntheticDirectory : SyntheticNode
{
    private SyntheticNode? _first;
    private SyntheticNode? _last;

    internal SyntheticDirectory(SyntheticFileSystem fileSystem, SyntheticDirectory? parent)
        : base(fileSystem, VnodeType.Directory, 0x16D) // 0555
    {
        Parent = parent ?? this;
    }

    public SyntheticDirectory Parent { get; }

    internal SyntheticNode? FirstChild => _first;

    internal void Append(SyntheticNode node)
    {
        if (_last is null)
            _first = node;
        else
            _last.NextSibling = node;
        _last = node;
    }

    internal SyntheticNode? Find(ReadOnlySpan<byte> name)
    {
        for (SyntheticNode? node = _first; node is not null; node = node.NextSibling)
        {
            if (ByteSpans.Equal(node.Name.Span, name))
                return node;
        }
        return null;
    }

    public override long Lookup(ReadOnlySpan<byte> name, out Vnode? found)
    {
        found = name.Length == 2 && name[0] == '.' && name[1] == '.' ? Parent : Find(name);
        if (found is null)
            return -Errno.ENOENT;
        found.Hold();
        return 0;
    }

    public override long ReadDirectory(ulong position, out DirectoryEntry entry)
    {
        entry = default;
        ulong index = 0;
        for (SyntheticNode? node = _first; node is not null; node = node.NextSibling, index++)
        {
            if (index == position)
            {
                entry = new DirectoryEntry(node.Name.Span, node.NodeId, node.Type, index + 1);
                return 1;
            }
        }
        return 0;
    }

    // Applications cannot change a synthetic tree.
    public override long CreateFile(ReadOnlySpan<byte> name, uint permissions, out Vnode? created)
    {
        created = null;
        return -Errno.EACCES;
    }

    public override long MakeDirectory(ReadOnlySpan<byte> name, uint permissions) => -Errno.EACCES;
    public override long MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target) => -Errno.EACCES;
    public override long Link(ReadOnlySpan<byte> name, Vnode target) => -Errno.EACCES;
    public override long Unlink(ReadOnlySpan<byte> name) => -Errno.EACCES;
    public override long RemoveDirectory(ReadOnlySpan<byte> name) => -Errno.EACCES;
    public override long Rename(ReadOnlySpan<byte> oldName, Vnode newDirectory, ReadOnlySpan<byte> newName) => -Errno.EACCES;
}
