using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Bootfs.Host;

/// <summary>
/// Builds a bootfs archive as OSv's mkbootfs.py does: all records (sorted by name, so the bytes do
/// not depend on the order of adding), the empty terminator, then the data of files and symlinks
/// back to back. Mistakes throw <see cref="ArgumentException"/> naming the entry: a name that does
/// not fit the 111-byte field, a name added twice, an empty symlink target.
/// </summary>
public sealed class BootfsArchiveWriter
{
    private readonly SortedDictionary<string, (byte Type, byte[]? Data, string? HostPath)> _entries = new(StringComparer.Ordinal);

    public BootfsArchiveWriter AddFile(string name, byte[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return Add(name, BootfsLayout.OtherType, contents, null);
    }

    /// <summary>A file whose bytes are read from <paramref name="hostPath"/> when the archive is built.</summary>
    public BootfsArchiveWriter AddHostFile(string name, string hostPath) => Add(name, BootfsLayout.OtherType, null, hostPath);

    /// <summary>A directory record (OSv creates parents of every name anyway; this makes empty ones).</summary>
    public BootfsArchiveWriter AddDirectory(string name) =>
        Add(name.EndsWith('/') ? name : name + "/", BootfsLayout.OtherType, Array.Empty<byte>(), null);

    public BootfsArchiveWriter AddSymlink(string name, string target)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(target ?? "");
        if (bytes.Length == 0 || Array.IndexOf(bytes, (byte)0) >= 0)
            throw new ArgumentException($"bootfs: symlink '{name}' needs a non-empty target without NUL bytes");
        byte[] data = new byte[bytes.Length + 1]; // the target's NUL is part of the data
        bytes.CopyTo(data, 0);
        return Add(name, BootfsLayout.SymlinkType, data, null);
    }

    private BootfsArchiveWriter Add(string name, byte type, byte[]? data, string? hostPath)
    {
        ArgumentNullException.ThrowIfNull(name);
        int length = Encoding.UTF8.GetByteCount(name);
        if (length == 0 || name == "/" || name.Contains('\0'))
            throw new ArgumentException($"bootfs: invalid name '{name}'");
        if (length >= BootfsLayout.NameCapacity)
            throw new ArgumentException($"bootfs: '{name}' is {length} bytes; names hold at most {BootfsLayout.NameCapacity - 1}");
        if (type != BootfsLayout.SymlinkType && data == null && string.IsNullOrEmpty(hostPath))
            throw new ArgumentException($"bootfs: '{name}' has an empty host path");
        if (!_entries.TryAdd(name, (type, data, hostPath)))
            throw new ArgumentException($"bootfs: '{name}' is added twice");
        return this;
    }

    public byte[] Build()
    {
        var contents = new List<(string Name, byte Type, byte[] Data)>();
        foreach (KeyValuePair<string, (byte Type, byte[]? Data, string? HostPath)> entry in _entries)
            contents.Add((entry.Key, entry.Value.Type, entry.Value.Data ?? ReadHostFile(entry.Key, entry.Value.HostPath!)));

        long tableLength = (long)(contents.Count + 1) * BootfsLayout.RecordSize;
        long total = tableLength;
        foreach ((string _, byte _, byte[] data) in contents)
            total += data.Length;
        byte[] archive = new byte[total];
        long position = tableLength;
        for (int i = 0; i < contents.Count; i++)
        {
            Span<byte> record = archive.AsSpan(i * BootfsLayout.RecordSize, BootfsLayout.RecordSize);
            byte[] data = contents[i].Data;
            LittleEndianBytes.WriteUInt64(record, BootfsLayout.SizeField, (ulong)data.Length);
            LittleEndianBytes.WriteUInt64(record, BootfsLayout.OffsetField, (ulong)position); // as mkbootfs.py: the running position, also for empty entries
            record[BootfsLayout.TypeField] = contents[i].Type;
            Encoding.UTF8.GetBytes(contents[i].Name).CopyTo(record.Slice(BootfsLayout.NameField));
            data.CopyTo(archive, position);
            position += data.Length;
        }
        return archive;
    }

    private static byte[] ReadHostFile(string name, string hostPath)
    {
        try
        {
            return File.ReadAllBytes(hostPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"bootfs: cannot read host file '{hostPath}' for '{name}': {e.Message}", e);
        }
    }
}
