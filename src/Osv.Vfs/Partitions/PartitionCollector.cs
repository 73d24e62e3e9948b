using System;

namespace Osv.Vfs.Partitions;

/// <summary>
/// Gathers used partitions into the caller's span and enforces what MBR and GPT share: a
/// partition lies inside the disk and shares no sector with an earlier one.
/// </summary>
internal ref struct PartitionCollector
{
    private readonly Span<Partition> _output;
    private readonly ulong _diskSectors;

    public PartitionCollector(Span<Partition> output, ulong diskSectors)
    {
        _output = output;
        _diskSectors = diskSectors;
        Count = 0;
        OverlappedEntry = 0;
    }

    public int Count { get; private set; }

    /// <summary>After <see cref="PartitionTableStatus.EntriesOverlap"/>: the earlier partition's index.</summary>
    public int OverlappedEntry { get; private set; }

    /// <summary>Checks <paramref name="partition"/> against the disk and the partitions before it, then keeps it.</summary>
    public PartitionTableStatus Add(in Partition partition)
    {
        if (partition.SectorCount > _diskSectors || partition.StartLba > _diskSectors - partition.SectorCount)
            return PartitionTableStatus.EntryPastEndOfDisk;
        for (int i = 0; i < Count; i++)
        {
            if (partition.StartLba < _output[i].EndLba && _output[i].StartLba < partition.EndLba)
            {
                OverlappedEntry = _output[i].Index;
                return PartitionTableStatus.EntriesOverlap;
            }
        }
        if (Count == _output.Length)
            return PartitionTableStatus.OutputTooSmall;
        _output[Count] = partition;
        Count++;
        return PartitionTableStatus.Ok;
    }
}
