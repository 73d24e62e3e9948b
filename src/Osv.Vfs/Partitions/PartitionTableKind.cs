namespace Osv.Vfs.Partitions;

/// <summary>Which table <see cref="PartitionTableReader"/> found.</summary>
public enum PartitionTableKind
{
    /// <summary>Nothing was recognized (see the status).</summary>
    None,

    /// <summary>A DOS/MBR table: up to four primary partitions.</summary>
    Mbr,

    /// <summary>A GUID partition table behind a protective MBR.</summary>
    Gpt,
}
