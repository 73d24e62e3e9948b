using System;

namespace Osv.Vfs.Devfs;

/// <summary>The console the kernel provides (serial line, virtio-console): /dev/console reads and writes go here.</summary>
public interface IConsoleDevice
{
    /// <summary>Bytes read, 0 at end of input, -EAGAIN when nothing is there and <paramref name="nonBlocking"/>; may block otherwise.</summary>
    long Read(Span<byte> destination, bool nonBlocking);

    long Write(ReadOnlySpan<byte> source);

    /// <summary>True if input is waiting (for poll).</summary>
    bool HasInput { get; }

    ushort Rows { get; }
    ushort Columns { get; }
}
