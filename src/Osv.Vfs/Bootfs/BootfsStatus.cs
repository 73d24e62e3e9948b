namespace Osv.Vfs.Bootfs;

/// <summary>What reading a bootfs record found; a <see cref="BootfsResult"/> adds the record index and offset.</summary>
public enum BootfsStatus
{
    /// <summary>A record was read.</summary>
    Ok,

    /// <summary>The terminating record (empty name): no more entries.</summary>
    End,

    /// <summary>The archive ends before a whole record (or before the terminator).</summary>
    RecordTruncated,
    /// <summary>The name field holds no NUL.</summary>
    NameNotTerminated,
    /// <summary>The type byte is neither 0 (file or directory) nor 1 (symlink).</summary>
    UnknownType,
    /// <summary>offset + size overflows or passes the end of the archive.</summary>
    DataOutOfBounds,
    /// <summary>The data starts inside the record table.</summary>
    DataOverlapsRecords,
    /// <summary>A directory record (name ending in '/') with a non-zero size.</summary>
    DirectoryHasData,
    /// <summary>A symlink whose data is empty or does not end in its NUL.</summary>
    SymlinkNotTerminated,
    /// <summary>A symlink whose target is empty or holds a NUL before its end.</summary>
    InvalidSymlinkTarget,
}
