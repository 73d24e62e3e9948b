using System;
using System.Collections.Generic;
using System.Linq;
using Osv.Cli.Elf;
using Osv.Cli.Infrastructure;
using Osv.Cli.Symbols;

namespace Osv.Cli.Build;

/// <summary>
/// Every listed symbol must be a defined dynamic symbol of the image. This is where a `musl` or
/// `asm` annotation is proved (the analyzer sees only C#): a wrong claim, or a C# entry point ILC
/// dropped, fails the build instead of an application's bind.
/// </summary>
public static class ExportCheck
{
    public static void RequireListedExported(Elf64File image, ExportedSymbolLists exports, string imageName)
    {
        var defined = new HashSet<string>(
            image.DynamicSymbols.Where(symbol => symbol.IsInSection).Select(symbol => symbol.Name), StringComparer.Ordinal);
        List<ExportedSymbol> missing = exports.Symbols.Where(symbol => !defined.Contains(symbol.Name)).ToList();
        if (missing.Count > 0)
        {
            throw new OsvException($"{imageName} does not export {missing.Count} listed symbol{(missing.Count == 1 ? "" : "s")}",
                details: string.Join("\n", missing.Select(symbol =>
                    $"  {symbol.Name} ({symbol.Library}, {Describe(symbol.Provider)})")));
        }
    }

    private static string Describe(SymbolProvider provider) => provider switch
    {
        SymbolProvider.Musl => "listed as musl: is it defined in libc.a?",
        SymbolProvider.Assembly => "listed as asm: is it global in a boot .asm file?",
        _ => "C#: [UnmanagedCallersOnly(EntryPoint)] in a referenced assembly?",
    };
}
