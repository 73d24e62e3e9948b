using System;
using Osv.Vfs.Rofs;

namespace Osv.Vfs.Tests.Support;

/// <summary>An <see cref="IBlockDevice"/> over a byte array that counts reads and can be told to fail.</summary>
internal sealed class MemoryBlockDevice : IBlockDevice
{
    public const int EIO = 5;
    public const int EINVAL = 22;
    private readonly byte[] _bytes;

    public MemoryBlockDevice(byte[] bytes) => _bytes = bytes;

    public ulong Size => (ulong)_bytes.Length;

    public int Reads { get; private set; }

    /// <summary>Reads that touch a byte at or past this offset fail with EIO.</summary>
    public ulong FailFrom { get; set; } = ulong.MaxValue;

    public int Read(ulong offset, Span<byte> destination)
    {
        Reads++;
        if (offset > Size || (ulong)destination.Length > Size - offset)
            return -EINVAL;
        if (destination.Length > 0 && offset + (ulong)destination.Length > FailFrom)
            return -EIO;
        _bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
        return 0;
    }
}
