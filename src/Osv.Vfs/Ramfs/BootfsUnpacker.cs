using System;
using Osv.Vfs.Bootfs;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Ramfs;

/// <summary>
/// Fills the name space (normally a fresh ramfs root) from a bootfs archive, as OSv unpacks its
/// embedded bootfs at boot: directories (parents made as needed), files with their bytes, symlinks.
/// Names are taken as absolute paths; files and directories get mode 0755 (bootfs has no modes).
/// </summary>
public static class BootfsUnpacker
{
    private const uint Mode = 0x1ED;

    /// <summary>Returns the number of entries unpacked, or -errno (-EINVAL for a damaged archive).</summary>
    public static long Unpack(ProcessFiles files, ReadOnlySpan<byte> archive)
    {
        uint previousMask = (uint)files.SetUmask(0);
        long result = UnpackAll(files, archive);
        files.SetUmask(previousMask);
        return result;
    }

    private static long UnpackAll(ProcessFiles files, ReadOnlySpan<byte> archive)
    {
        Span<byte> path = stackalloc byte[PathLimits.PathMax];
        var reader = new BootfsReader(archive);
        long count = 0;
        BootfsResult result;
        while ((result = reader.Next(out BootfsEntry entry)).IsOk)
        {
            int length = AbsolutePath(entry.Path, path);
            if (length < 0)
                return -Errno.ENAMETOOLONG;
            ReadOnlySpan<byte> target = path.Slice(0, length);
            long status = MakeParents(files, target);
            if (status == 0)
                status = entry.Kind switch
                {
                    BootfsEntryKind.Directory => IgnoreExisting(files.MakeDirectory(target, Mode)),
                    BootfsEntryKind.Symlink => files.Symlink(entry.Data, target),
                    _ => WriteFile(files, target, entry.Data),
                };
            if (status < 0)
                return status;
            count++;
        }
        return result.IsError ? -Errno.EINVAL : count;
    }

    private static int AbsolutePath(ReadOnlySpan<byte> name, Span<byte> path)
    {
        int prefix = name.Length > 0 && name[0] == '/' ? 0 : 1;
        if (name.Length + prefix >= path.Length)
            return -1;
        path[0] = (byte)'/';
        name.CopyTo(path.Slice(prefix));
        return name.Length + prefix;
    }

    /// <summary>mkdir -p of every directory above the last component.</summary>
    private static long MakeParents(ProcessFiles files, ReadOnlySpan<byte> path)
    {
        for (int i = 1; i < path.Length; i++)
        {
            if (path[i] != '/')
                continue;
            long status = IgnoreExisting(files.MakeDirectory(path.Slice(0, i), Mode));
            if (status != 0)
                return status;
        }
        return 0;
    }

    private static long IgnoreExisting(long status) => status == -Errno.EEXIST ? 0 : status;

    private static long WriteFile(ProcessFiles files, ReadOnlySpan<byte> path, ReadOnlySpan<byte> data)
    {
        long descriptor = files.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate, Mode);
        if (descriptor < 0)
            return descriptor;
        long written = data.IsEmpty ? 0 : files.Write((int)descriptor, data);
        files.Close((int)descriptor);
        return written < 0 ? written : written != data.Length ? -Errno.ENOSPC : 0;
    }
}
