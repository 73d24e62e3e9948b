using System;

namespace Osv.Vfs.Rofs;

/// <summary>
/// What the rofs reader needs of a disk: its size and whole reads at byte offsets. The kernel's
/// virtio-blk partition and the host's file or memory devices implement it.
/// </summary>
public interface IBlockDevice
{
    /// <summary>Size in bytes.</summary>
    ulong Size { get; }

    /// <summary>
    /// Fills all of <paramref name="destination"/> from byte <paramref name="offset"/>. Returns 0, or
    /// a negative errno (a read past <see cref="Size"/> is an error, never a short read).
    /// </summary>
    int Read(ulong offset, Span<byte> destination);
}
