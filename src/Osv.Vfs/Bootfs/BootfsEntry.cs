using System;

namespace Osv.Vfs.Bootfs;

/// <summary>
/// One checked record of a bootfs archive. <see cref="Path"/> is the name without a directory's
/// trailing '/'; <see cref="Data"/> is a file's bytes or a symlink's target (without its NUL),
/// both pointing into the archive.
/// </summary>
public readonly ref struct BootfsEntry
{
    public BootfsEntry(BootfsEntryKind kind, ReadOnlySpan<byte> path, ReadOnlySpan<byte> data, int recordIndex)
    {
        Kind = kind;
        Path = path;
        Data = data;
        RecordIndex = recordIndex;
    }

    public BootfsEntryKind Kind { get; }
    public ReadOnlySpan<byte> Path { get; }
    public ReadOnlySpan<byte> Data { get; }
    public int RecordIndex { get; }
}
