namespace Osv.Vfs.Bootfs;

/// <summary>A status, the index of the record it is about, and that record's byte offset in the archive.</summary>
public readonly struct BootfsResult
{
    public BootfsResult(BootfsStatus status, int recordIndex)
    {
        Status = status;
        RecordIndex = recordIndex;
    }

    public BootfsStatus Status { get; }
    public int RecordIndex { get; }
    public ulong RecordOffset => (ulong)RecordIndex * BootfsLayout.RecordSize;

    public bool IsOk => Status == BootfsStatus.Ok;

    /// <summary>Neither a record nor the end: the archive is damaged.</summary>
    public bool IsError => Status != BootfsStatus.Ok && Status != BootfsStatus.End;
}
