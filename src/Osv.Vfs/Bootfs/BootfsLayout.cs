namespace Osv.Vfs.Bootfs;

/// <summary>
/// OSv's bootfs archive (docs/bootfs-format.md): 128-byte records — u64 size, u64 offset from the
/// archive start, u8 type, 111-byte NUL-terminated name — ended by a record whose name is empty,
/// then the data. Integers are little-endian.
/// </summary>
public static class BootfsLayout
{
    public const int RecordSize = 128;
    public const int SizeField = 0;
    public const int OffsetField = 8;
    public const int TypeField = 16;
    public const int NameField = 17;

    /// <summary>Bytes for the name including its NUL, so names are at most 110 bytes.</summary>
    public const int NameCapacity = RecordSize - NameField;

    /// <summary>A regular file, or a directory when the name ends in '/' and the size is 0.</summary>
    public const byte OtherType = 0;

    /// <summary>A symlink: the data is the target followed by a NUL.</summary>
    public const byte SymlinkType = 1;
}
