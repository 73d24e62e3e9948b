using System;

namespace Osv.Core.Elf;

/// <summary>The two ELF symbol-name hash functions.</summary>
public static class SymbolHash
{
    /// <summary>DT_GNU_HASH's function (Bernstein's h * 33 + c, seeded with 5381).</summary>
    public static uint Gnu(ReadOnlySpan<byte> name)
    {
        uint hash = 5381;
        for (int i = 0; i < name.Length; i++)
            hash = hash * 33 + name[i];
        return hash;
    }

    /// <summary>DT_HASH's function from the System V gABI.</summary>
    public static uint SysV(ReadOnlySpan<byte> name)
    {
        uint hash = 0;
        for (int i = 0; i < name.Length; i++)
        {
            hash = (hash << 4) + name[i];
            uint high = hash & 0xF0000000;
            if (high != 0)
                hash ^= high >> 24;
            hash &= ~high;
        }
        return hash;
    }
}
