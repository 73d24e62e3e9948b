using System;

namespace Osv.Vfs.Partitions.Host;

/// <summary>One partition for <see cref="GptWriter"/>: its 1-based slot is its position in the list.</summary>
public sealed record GptPartitionSpec(ulong StartLba, ulong SectorCount, Guid Type, Guid UniqueId, string Name = "", ulong Attributes = 0);
