using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Bootfs;

/// <summary>
/// Iterates over the records of a bootfs archive (the kernel's embedded one, or any span), checking
/// each before handing it out: whole record inside the archive, NUL-terminated name, known type,
/// data inside the archive and past the records read so far, directories without data, symlink
/// targets non-empty and NUL-terminated. The span may run past the archive (image padding).
/// <code>
/// var reader = new BootfsReader(archive);
/// BootfsResult result;
/// while ((result = reader.Next(out BootfsEntry entry)).IsOk) { ... }
/// if (result.IsError) { ... }
/// </code>
/// </summary>
public ref struct BootfsReader
{
    private readonly ReadOnlySpan<byte> _archive;
    private int _index;
    private bool _finished;

    public BootfsReader(ReadOnlySpan<byte> archive)
    {
        _archive = archive;
        _index = 0;
        _finished = false;
    }

    /// <summary>The next record, <see cref="BootfsStatus.End"/> after the last, or the error (which then repeats).</summary>
    public BootfsResult Next(out BootfsEntry entry)
    {
        entry = default;
        if (_finished)
            return new BootfsResult(BootfsStatus.End, _index);
        BootfsResult result = Read(_index, out entry);
        if (result.Status == BootfsStatus.End)
            _finished = true;
        else if (result.IsOk)
            _index++;
        return result;
    }

    /// <summary>
    /// Reads every record, and checks that no data starts inside the record table (which only the
    /// terminator's position fixes). Ok (its record index is the terminator's) or the first error.
    /// </summary>
    public static BootfsResult Validate(ReadOnlySpan<byte> archive, out int entryCount)
    {
        var reader = new BootfsReader(archive);
        BootfsResult result;
        entryCount = 0;
        while ((result = reader.Next(out _)).IsOk)
            entryCount++;
        if (result.IsError)
            return result;
        ulong tableEnd = (ulong)(entryCount + 1) * BootfsLayout.RecordSize;
        for (int i = 0; i < entryCount; i++)
        {
            ulong offset = LittleEndianBytes.ReadUInt64(archive, i * BootfsLayout.RecordSize + BootfsLayout.OffsetField);
            ulong size = LittleEndianBytes.ReadUInt64(archive, i * BootfsLayout.RecordSize + BootfsLayout.SizeField);
            if (size != 0 && offset < tableEnd)
                return new BootfsResult(BootfsStatus.DataOverlapsRecords, i);
        }
        return new BootfsResult(BootfsStatus.Ok, entryCount);
    }

    private readonly BootfsResult Read(int index, out BootfsEntry entry)
    {
        entry = default;
        int start = index * BootfsLayout.RecordSize;
        if (_archive.Length / BootfsLayout.RecordSize <= index)
            return new BootfsResult(BootfsStatus.RecordTruncated, index);
        ReadOnlySpan<byte> record = _archive.Slice(start, BootfsLayout.RecordSize);
        ReadOnlySpan<byte> nameField = record.Slice(BootfsLayout.NameField);
        int nameLength = ByteSpans.IndexOf(nameField, 0);
        if (nameLength == 0)
            return new BootfsResult(BootfsStatus.End, index);
        if (nameLength < 0)
            return new BootfsResult(BootfsStatus.NameNotTerminated, index);
        ReadOnlySpan<byte> name = nameField.Slice(0, nameLength);

        ulong size = LittleEndianBytes.ReadUInt64(record, BootfsLayout.SizeField);
        ulong offset = LittleEndianBytes.ReadUInt64(record, BootfsLayout.OffsetField);
        byte type = record[BootfsLayout.TypeField];
        if (type != BootfsLayout.OtherType && type != BootfsLayout.SymlinkType)
            return new BootfsResult(BootfsStatus.UnknownType, index);
        ulong length = (ulong)_archive.Length;
        if (offset > length || size > length - offset)
            return new BootfsResult(BootfsStatus.DataOutOfBounds, index);
        // At least this record and the terminator precede any data (Validate checks the whole table).
        if (size != 0 && offset < (ulong)start + 2 * BootfsLayout.RecordSize)
            return new BootfsResult(BootfsStatus.DataOverlapsRecords, index);
        ReadOnlySpan<byte> data = _archive.Slice((int)offset, (int)size);

        if (type == BootfsLayout.SymlinkType)
        {
            if (data.IsEmpty || data[data.Length - 1] != 0)
                return new BootfsResult(BootfsStatus.SymlinkNotTerminated, index);
            ReadOnlySpan<byte> target = data.Slice(0, data.Length - 1);
            if (target.IsEmpty || ByteSpans.IndexOf(target, 0) >= 0)
                return new BootfsResult(BootfsStatus.InvalidSymlinkTarget, index);
            entry = new BootfsEntry(BootfsEntryKind.Symlink, name, target, index);
        }
        else if (name[name.Length - 1] == '/')
        {
            if (size != 0)
                return new BootfsResult(BootfsStatus.DirectoryHasData, index);
            entry = new BootfsEntry(BootfsEntryKind.Directory, name.Slice(0, name.Length - 1), default, index);
        }
        else
        {
            entry = new BootfsEntry(BootfsEntryKind.RegularFile, name, data, index);
        }
        return new BootfsResult(BootfsStatus.Ok, index);
    }
}
