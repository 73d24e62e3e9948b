namespace Osv.Vfs.Partitions;

/// <summary>The outcome of reading a partition table: a status and where it applies, never an exception.</summary>
public readonly struct PartitionTableResult
{
    public PartitionTableResult(PartitionTableStatus status, PartitionTableKind kind, int count, int entry, int otherEntry, ulong offset, bool usedBackupGptHeader)
    {
        Status = status;
        Kind = kind;
        Count = count;
        Entry = entry;
        OtherEntry = otherEntry;
        Offset = offset;
        UsedBackupGptHeader = usedBackupGptHeader;
    }

    public PartitionTableStatus Status { get; }

    public PartitionTableKind Kind { get; }

    /// <summary>Partitions written to the caller's span; 0 on failure.</summary>
    public int Count { get; }

    /// <summary>1-based table slot the status is about; 0 when it is about no entry.</summary>
    public int Entry { get; }

    /// <summary>For <see cref="PartitionTableStatus.EntriesOverlap"/>: the earlier slot.</summary>
    public int OtherEntry { get; }

    /// <summary>Byte offset on disk of what the status is about (see each status).</summary>
    public ulong Offset { get; }

    /// <summary>The primary GPT header or its entries were damaged and the backup at the end of the disk was used.</summary>
    public bool UsedBackupGptHeader { get; }

    public bool Succeeded => Status == PartitionTableStatus.Ok;

    /// <summary>One line for a log: what went wrong, without the numbers (they are in the properties).</summary>
    public string Message => Status switch
    {
        PartitionTableStatus.Ok => "partition table read",
        PartitionTableStatus.Truncated => "partition table extends past the bytes given",
        PartitionTableStatus.ReadFailed => "sector read failed",
        PartitionTableStatus.DiskTooSmall => "disk too small for its partition table",
        PartitionTableStatus.MissingSignature => "no 0x55AA boot signature in sector 0",
        PartitionTableStatus.BadBootIndicator => "MBR entry status byte is neither 0x00 nor 0x80",
        PartitionTableStatus.EntryPastEndOfDisk => "partition ends past the end of the disk",
        PartitionTableStatus.EntryOverlapsTable => "partition overlaps the partition table",
        PartitionTableStatus.BadEntryRange => "GPT entry ends before it starts",
        PartitionTableStatus.EntriesOverlap => "partitions overlap",
        PartitionTableStatus.BadGptSignature => "protective MBR without an EFI PART header",
        PartitionTableStatus.BadGptHeader => "GPT header field out of range",
        PartitionTableStatus.BadGptHeaderCrc => "GPT header CRC32 mismatch",
        PartitionTableStatus.BadGptEntriesCrc => "GPT partition entries CRC32 mismatch",
        PartitionTableStatus.TooManyEntries => "GPT declares too many partition entries",
        PartitionTableStatus.OutputTooSmall => "more partitions than the output holds",
        _ => "unknown partition table status",
    };

    internal static PartitionTableResult Failure(PartitionTableStatus status, PartitionTableKind kind, int entry, ulong offset) =>
        new PartitionTableResult(status, kind, 0, entry, 0, offset, false);
}
