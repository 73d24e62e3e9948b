using System;

namespace Osv.Vfs.Vfs;

/// <summary>
/// A file system attached to the name space: the directory it covers (held; null for the root
/// mount), its path and device text as /proc/mounts shows them (copied into allocator memory).
/// </summary>
public sealed unsafe class Mount
{
    private byte* _text; // path, then device, one block
    private readonly int _pathLength;
    private readonly int _deviceLength;

    internal Mount(int id, FileSystem fileSystem, Vnode? covered, byte* text, int pathLength, int deviceLength)
    {
        Id = id;
        FileSystem = fileSystem;
        Covered = covered;
        _text = text;
        _pathLength = pathLength;
        _deviceLength = deviceLength;
    }

    /// <summary>Unique while mounted (statx's stx_mnt_id).</summary>
    public int Id { get; }

    public FileSystem FileSystem { get; }

    /// <summary>The directory of the parent file system this mount hides; null for the root mount.</summary>
    public Vnode? Covered { get; private set; }

    public Vnode Root => FileSystem.Root;

    public ReadOnlySpan<byte> Path => new ReadOnlySpan<byte>(_text, _pathLength);

    public ReadOnlySpan<byte> Device => new ReadOnlySpan<byte>(_text + _pathLength, _deviceLength);

    /// <summary>Drops the covered directory and the text; the mount table then frees this object.</summary>
    internal void Dismantle(in NativeAllocator allocator)
    {
        Covered?.Release();
        Covered = null;
        if (_text != null)
            allocator.Free(_text);
        _text = null;
    }
}
