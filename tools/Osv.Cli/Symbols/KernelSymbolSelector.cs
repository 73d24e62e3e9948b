using System;
using System.Collections.Generic;
using System.Linq;
using Osv.Cli.Elf;

namespace Osv.Cli.Symbols;

/// <summary>
/// Picks the symbols the kernel needs to name code addresses in backtraces: nonzero-valued
/// FUNC or NOTYPE symbols (assembler labels are NOTYPE) defined in executable sections, minus
/// local labels that start with '.', one per address, sorted by address.
/// </summary>
public static class KernelSymbolSelector
{
    public static IReadOnlyList<KernelSymbol> Select(Elf64File elf)
    {
        var candidates = new List<ElfSymbol>();
        foreach (ElfSymbol symbol in elf.Symbols)
        {
            if (IsCodeSymbol(elf, symbol))
                candidates.Add(symbol);
        }
        return Select(candidates);
    }

    /// <summary>Resolves duplicates and sorts symbols already known to be in code.</summary>
    public static IReadOnlyList<KernelSymbol> Select(IEnumerable<ElfSymbol> codeSymbols)
    {
        return codeSymbols
            .GroupBy(symbol => symbol.Value)
            .Select(sameAddress => sameAddress.OrderBy(Preference).ThenBy(symbol => symbol.Name, StringComparer.Ordinal).First())
            .OrderBy(symbol => symbol.Value)
            .Select(symbol => new KernelSymbol(symbol.Value, (uint)Math.Min(symbol.Size, uint.MaxValue), symbol.Name))
            .ToList();
    }

    public static bool IsCodeSymbol(Elf64File elf, ElfSymbol symbol)
    {
        if (symbol.Value == 0 || symbol.Name.Length == 0 || symbol.Name[0] == '.')
            return false;
        if (symbol.Type != ElfSymbolType.Function && symbol.Type != ElfSymbolType.NoType)
            return false;
        if (!symbol.IsInSection || symbol.SectionIndex >= elf.Sections.Count)
            return false;
        return elf.Sections[(int)symbol.SectionIndex].IsExecutable;
    }

    // Lower is better: a sized function describes the code best, then any function, then a
    // global label over a local one.
    private static int Preference(ElfSymbol symbol)
    {
        bool isFunction = symbol.Type == ElfSymbolType.Function;
        if (isFunction && symbol.Size != 0)
            return 0;
        if (isFunction)
            return 1;
        return symbol.Binding == ElfSymbolBinding.Local ? 3 : 2;
    }
}
