using System;
using System.Collections.Generic;

namespace Osv.Vfs.Partitions.Host;

/// <summary>The writers' shared rule: no two partitions share a sector.</summary>
internal static class PartitionRangeCheck
{
    /// <exception cref="ArgumentException">Names the later partition and the earlier one it overlaps (1-based).</exception>
    public static void RequireDisjoint(IReadOnlyList<(ulong Start, ulong Count)> ranges)
    {
        for (int i = 0; i < ranges.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (ranges[i].Start < ranges[j].Start + ranges[j].Count && ranges[j].Start < ranges[i].Start + ranges[i].Count)
                    throw new ArgumentException($"partition {i + 1} overlaps partition {j + 1}");
            }
        }
    }
}
