namespace Osv.Vfs.Partitions;

/// <summary>
/// What <see cref="PartitionTableReader"/> concluded. Every status but <see cref="Ok"/> comes with
/// the entry (<see cref="PartitionTableResult.Entry"/>) or byte offset on disk
/// (<see cref="PartitionTableResult.Offset"/>) it is about.
/// </summary>
public enum PartitionTableStatus
{
    Ok,

    /// <summary>The bytes given end before the table does (Offset = bytes needed), or the scratch buffer is too small for it (Offset = scratch bytes needed).</summary>
    Truncated,

    /// <summary>The sector reader failed; Offset = byte offset of the read.</summary>
    ReadFailed,

    /// <summary>The disk is smaller than the table itself: no sectors at all, or fewer than 3 for a GPT.</summary>
    DiskTooSmall,

    /// <summary>Sector 0 does not end in 0x55 0xAA: no partition table. Offset = 510.</summary>
    MissingSignature,

    /// <summary>An MBR entry's status byte is neither 0x00 nor 0x80 (likely not an MBR). Entry, Offset.</summary>
    BadBootIndicator,

    /// <summary>A partition ends after the last sector of the disk. Entry, Offset.</summary>
    EntryPastEndOfDisk,

    /// <summary>A partition covers the table itself: starts at LBA 0 (MBR) or leaves the GPT usable range. Entry, Offset.</summary>
    EntryOverlapsTable,

    /// <summary>A GPT entry ends before it starts. Entry, Offset.</summary>
    BadEntryRange,

    /// <summary>Two partitions share sectors: Entry and OtherEntry (the earlier one).</summary>
    EntriesOverlap,

    /// <summary>The protective MBR is there but neither GPT header says "EFI PART". Offset = header.</summary>
    BadGptSignature,

    /// <summary>A GPT header field is out of range (revision, size, LBAs, entry size). Offset = the field.</summary>
    BadGptHeader,

    /// <summary>The GPT header's CRC32 does not match. Offset = header.</summary>
    BadGptHeaderCrc,

    /// <summary>The partition entry array's CRC32 does not match the header. Offset = the array.</summary>
    BadGptEntriesCrc,

    /// <summary>The GPT header declares more entries than <see cref="GptLayout.MaxEntryCount"/>. Offset = the field.</summary>
    TooManyEntries,

    /// <summary>More used partitions than the caller's span holds. Entry = the first one that did not fit.</summary>
    OutputTooSmall,
}
