using System;

namespace Osv.Vfs.Vfs;

/// <summary>
/// The mounts, in mount order. Lookup asks it which mount covers a directory (the newest wins, so
/// mounts stack) and /proc/mounts and /etc/mtab print it. Callers hold the VFS name-space lock.
/// </summary>
public sealed unsafe class MountTable
{
    private readonly NativeAllocator _allocator;
    private Mount?[] _mounts = new Mount?[8];
    private int _count;
    private int _nextId = 1;

    public MountTable(in NativeAllocator allocator) => _allocator = allocator;

    public int Count => _count;

    public Mount At(int index) => _mounts[index]!;

    /// <summary>Records a mount; -ENOMEM if the text cannot be copied. Takes ownership of <paramref name="covered"/>'s hold.</summary>
    internal long Add(FileSystem fileSystem, Vnode? covered, ReadOnlySpan<byte> path, ReadOnlySpan<byte> device, out Mount? mount)
    {
        mount = null;
        byte* text = (byte*)_allocator.Allocate((nuint)(path.Length + device.Length + 1));
        if (text == null)
            return -Errno.ENOMEM;
        path.CopyTo(new Span<byte>(text, path.Length));
        device.CopyTo(new Span<byte>(text + path.Length, device.Length));
        if (_count == _mounts.Length)
        {
            var larger = new Mount?[_mounts.Length * 2];
            for (int i = 0; i < _count; i++)
                larger[i] = _mounts[i];
            ObjectRelease.Free(_mounts);
            _mounts = larger;
        }
        int id = _nextId++;
        mount = new Mount(id, fileSystem, covered, text, path.Length, device.Length);
        fileSystem.Mount = mount;
        fileSystem.DeviceNumber = (ulong)id;
        _mounts[_count++] = mount;
        return 0;
    }

    /// <summary>Removes and frees <paramref name="mount"/> (not its file system).</summary>
    internal void Remove(Mount mount)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_mounts[i] != mount)
                continue;
            for (int j = i; j < _count - 1; j++)
                _mounts[j] = _mounts[j + 1];
            _mounts[--_count] = null;
            break;
        }
        mount.FileSystem.Mount = null;
        mount.Dismantle(_allocator);
        ObjectRelease.Free(mount);
    }

    /// <summary>The newest mount whose covered directory is <paramref name="directory"/>, or null.</summary>
    public Mount? MountedOn(Vnode directory)
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            if (Vnode.SameNode(_mounts[i]!.Covered, directory))
                return _mounts[i];
        }
        return null;
    }

    /// <summary>True if some mount covers a directory of <paramref name="fileSystem"/>.</summary>
    public bool HasMountsOn(FileSystem fileSystem)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_mounts[i]!.Covered is Vnode covered && covered.FileSystem == fileSystem)
                return true;
        }
        return false;
    }

    /// <summary>
    /// The /proc/mounts (and /etc/mtab) text: "device path type rw|ro 0 0" per line, in mount order,
    /// with space, tab, newline and backslash escaped as octal like Linux does. Writes what fits
    /// and returns the full length.
    /// </summary>
    public int WriteMountsText(Span<byte> destination)
    {
        var writer = new TextSink(destination);
        for (int i = 0; i < _count; i++)
        {
            Mount mount = _mounts[i]!;
            writer.AppendEscaped(mount.Device.IsEmpty ? "none"u8 : mount.Device);
            writer.Append((byte)' ');
            writer.AppendEscaped(mount.Path);
            writer.Append((byte)' ');
            writer.Append(mount.FileSystem.TypeName);
            writer.Append(mount.FileSystem.IsReadOnly ? " ro 0 0\n"u8 : " rw 0 0\n"u8);
        }
        return writer.Length;
    }

    /// <summary>Frees the table's array (after every mount is gone).</summary>
    internal void Dispose()
    {
        ObjectRelease.Free(_mounts);
        _mounts = new Mount?[0];
    }
}
