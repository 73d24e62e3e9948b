using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Osv.Vfs.Rofs.Host;

/// <summary>An <see cref="IBlockDevice"/> over a host file (an image the `osv` tool inspects), read-only.</summary>
public sealed class FileBlockDevice : IBlockDevice, IDisposable
{
    private const int EIO = 5;
    private const int EINVAL = 22;
    private readonly SafeFileHandle _handle;

    public FileBlockDevice(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Size = (ulong)RandomAccess.GetLength(_handle);
    }

    public ulong Size { get; }

    public int Read(ulong offset, Span<byte> destination)
    {
        if (offset > Size || (ulong)destination.Length > Size - offset)
            return -EINVAL;
        int done = 0;
        while (done < destination.Length)
        {
            int count = RandomAccess.Read(_handle, destination.Slice(done), (long)offset + done);
            if (count <= 0)
                return -EIO;
            done += count;
        }
        return 0;
    }

    public void Dispose() => _handle.Dispose();
}
