namespace Osv.Vfs.Partitions.Host;

/// <summary>One primary partition for <see cref="MbrWriter"/>: its 1-based slot is its position in the list.</summary>
public sealed record MbrPartitionSpec(ulong StartLba, ulong SectorCount, byte Type = MbrLayout.LinuxType, bool Bootable = false);
