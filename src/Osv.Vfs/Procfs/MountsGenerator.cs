using System;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Procfs;

/// <summary>/proc/mounts (and /proc/self/mounts, /etc/mtab): the mount table's text, current at each read.</summary>
public sealed class MountsGenerator : IContentGenerator
{
    private readonly VirtualFileSystem _vfs;

    public MountsGenerator(VirtualFileSystem vfs) => _vfs = vfs;

    public int Generate(Span<byte> destination)
    {
        _vfs.NamespaceLock.Acquire();
        int length = _vfs.Mounts.WriteMountsText(destination);
        _vfs.NamespaceLock.Release();
        return length;
    }
}
