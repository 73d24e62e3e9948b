using System;
using System.Collections.Generic;
using System.Linq;

namespace Osv.Cli.Symbols;

/// <summary>
/// The two-pass link is only sound if adding the real symbol table moves no code: every code
/// symbol must keep its address from pass 1 to pass 2.
/// </summary>
public static class CodeLayoutCheck
{
    /// <summary>The first symbol whose address (or presence) differs between the passes, else null.</summary>
    public static string? FindMovedSymbol(IReadOnlyList<KernelSymbol> firstPass, IReadOnlyList<KernelSymbol> secondPass)
    {
        Dictionary<string, List<ulong>> before = AddressesByName(firstPass);
        Dictionary<string, List<ulong>> after = AddressesByName(secondPass);
        foreach (KernelSymbol symbol in firstPass)
        {
            if (!after.TryGetValue(symbol.Name, out List<ulong>? addresses) || !addresses.SequenceEqual(before[symbol.Name]))
                return symbol.Name;
        }
        foreach (KernelSymbol symbol in secondPass)
        {
            if (!before.ContainsKey(symbol.Name))
                return symbol.Name;
        }
        return null;
    }

    private static Dictionary<string, List<ulong>> AddressesByName(IReadOnlyList<KernelSymbol> symbols)
    {
        var byName = new Dictionary<string, List<ulong>>(StringComparer.Ordinal);
        foreach (KernelSymbol symbol in symbols)
        {
            if (!byName.TryGetValue(symbol.Name, out List<ulong>? addresses))
                byName.Add(symbol.Name, addresses = new List<ulong>());
            addresses.Add(symbol.Address);
        }
        foreach (List<ulong> addresses in byName.Values)
            addresses.Sort();
        return byName;
    }
}
