using System;

namespace Osv.Vfs.Synthetic;

/// <summary>A node's name, copied into allocator memory when it was added.</summary>
internal unsafe struct SyntheticName
{
    public byte* Bytes;
    public int Length;

    public readonly ReadOnlySpan<byte> Span => new ReadOnlySpan<byte>(Bytes, Length);
}
