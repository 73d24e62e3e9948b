using System;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Synthetic;

/// <summary>
/// A file system whose tree the kernel builds from code — devfs, procfs, sysfs — out of directories,
/// generated files and symlinks, and device nodes. Read-only for applications (the tree is fixed;
/// devices may still be written). Names are copied; every node is freed by <see cref="Destroy"/>.
/// </summary>
public unsafe class SyntheticFileSystem : FileSystem
{
    private readonly byte* _typeName;
    private readonly int _typeNameLength;
    private readonly long _magic;
    private SyntheticDirectory? _root;
    private ulong _nextNodeId = 1;

    /// <summary><paramref name="typeName"/> must be a literal (it is not copied).</summary>
    public SyntheticFileSystem(ReadOnlySpan<byte> typeName, long magic, in NativeAllocator allocator, IVfsLock fileSystemLock)
        : base(fileSystemLock, readOnly: false)
    {
        fixed (byte* name = typeName)
            _typeName = name; // literals live in the image's read-only data
        _typeNameLength = typeName.Length;
        _magic = magic;
        Allocator = allocator;
        _root = new SyntheticDirectory(this, null);
    }

    public NativeAllocator Allocator { get; }

    public override ReadOnlySpan<byte> TypeName => new ReadOnlySpan<byte>(_typeName, _typeNameLength);

    public override Vnode Root => _root!;

    public SyntheticDirectory RootDirectory => _root!;

    internal ulong NextNodeId() => _nextNodeId++;

    /// <summary>Adds <paramref name="node"/> as <paramref name="name"/>; -EEXIST, -ENOMEM (the node is then freed).</summary>
    public long Add(SyntheticDirectory parent, ReadOnlySpan<byte> name, SyntheticNode node)
    {
        long status = parent.Find(name) is not null ? -Errno.EEXIST : 0;
        byte* copy = status == 0 ? (byte*)Allocator.Allocate((nuint)name.Length) : null;
        if (status == 0 && copy == null)
            status = -Errno.ENOMEM;
        if (status != 0)
        {
            node.DestroyContents();
            ObjectRelease.Free(node);
            return status;
        }
        name.CopyTo(new Span<byte>(copy, name.Length));
        node.Name.Bytes = copy;
        node.Name.Length = name.Length;
        parent.Append(node);
        return 0;
    }

    public long AddDirectory(SyntheticDirectory parent, ReadOnlySpan<byte> name, out SyntheticDirectory? directory)
    {
        var created = new SyntheticDirectory(this, parent);
        long status = Add(parent, name, created);
        directory = status == 0 ? created : null;
        return status;
    }

    public long AddGeneratedFile(SyntheticDirectory parent, ReadOnlySpan<byte> name, IContentGenerator generator) =>
        Add(parent, name, new GeneratedFile(this, generator));

    public long AddGeneratedSymlink(SyntheticDirectory parent, ReadOnlySpan<byte> name, IContentGenerator generator) =>
        Add(parent, name, new GeneratedSymlink(this, generator));

    public override void GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = default;
        statistics.Magic = _magic;
        statistics.BlockSize = 4096;
        statistics.NameMax = PathLimits.NameMax;
    }

    /// <summary>Generates into temporary memory and copies from <paramref name="offset"/>: bytes copied, or -ENOMEM.</summary>
    internal static long CopyGenerated(in NativeAllocator allocator, IContentGenerator generator, ulong offset, Span<byte> destination)
    {
        int length = generator.Generate(default);
        if (offset >= (ulong)length || destination.IsEmpty)
            return 0;
        byte* text = (byte*)allocator.Allocate((nuint)length);
        if (text == null)
            return -Errno.ENOMEM;
        int generated = generator.Generate(new Span<byte>(text, length));
        if (generated > length)
            generated = length; // grew between the two calls: keep the first length
        long count = 0;
        if (offset < (ulong)generated)
        {
            count = generated - (long)offset;
            if (count > destination.Length)
                count = destination.Length;
            new ReadOnlySpan<byte>(text + offset, (int)count).CopyTo(destination);
        }
        allocator.Free(text);
        return count;
    }

    public override void Destroy()
    {
        if (_root is not null)
            DestroyDirectory(_root);
        _root = null;
    }

    private void DestroyDirectory(SyntheticDirectory directory)
    {
        SyntheticNode? node = directory.FirstChild;
        while (node is not null)
        {
            SyntheticNode? next = node.NextSibling;
            Allocator.Free(node.Name.Bytes);
            if (node is SyntheticDirectory child)
                DestroyDirectory(child);
            else
            {
                node.DestroyContents();
                ObjectRelease.Free(node);
            }
            node = next;
        }
        ObjectRelease.Free(directory);
    }
}
