using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Osv.Cli.CommandLine;
using Osv.Cli.Elf;
using Osv.Cli.Infrastructure;
using Osv.Cli.Symbols;

namespace Osv.Cli.Commands;

/// <summary>`osv symbols`: what the built image exports (dynamic symbols, per library) and how big it is.</summary>
public static class SymbolsCommand
{
    public static int Execute(IReadOnlyList<string> arguments)
    {
        BuildOptions options = BuildOptions.Parse(arguments, Usage.Symbols);
        if (options.ShowHelp)
        {
            Console.Out.Write(Usage.Symbols);
            return 0;
        }
        RepositoryLayout layout = RepositoryLayout.Locate(options.Arch, options.TestImage, options.HideSymbols);
        if (!File.Exists(layout.Image))
            throw new OsvException($"{layout.Relative(layout.Image)} does not exist; build it first (osv build{Flags(options)})");
        Console.Out.Write(Report(layout.Relative(layout.Image), Elf64File.Load(layout.Image), new FileInfo(layout.Image).Length,
            ExportedSymbolLists.Load(layout.ExportedSymbolsDirectory, layout.Arch)));
        return 0;
    }

    /// <summary>The printed report: one line for the image, one per library with a list.</summary>
    public static string Report(string imageName, Elf64File image, long imageBytes, ExportedSymbolLists exports)
    {
        var exported = new HashSet<string>(image.DynamicSymbols.Where(symbol => symbol.IsInSection).Select(symbol => symbol.Name), StringComparer.Ordinal);
        int listed = exports.Symbols.Count(symbol => exported.Contains(symbol.Name));
        var text = new System.Text.StringBuilder();
        text.Append($"{imageName}: {image.DynamicSymbols.Count} dynamic symbols ({exported.Count} defined, {listed} listed), {imageBytes} bytes\n");
        foreach (string library in exports.Libraries)
        {
            ExportedSymbol[] symbols = exports.Of(library).ToArray();
            int present = symbols.Count(symbol => exported.Contains(symbol.Name));
            int musl = symbols.Count(symbol => symbol.Provider == SymbolProvider.Musl);
            text.Append($"  {library,-22} {present,5} of {symbols.Length,5} listed exported ({musl} musl, {symbols.Length - musl} C#/asm)\n");
        }
        text.Append($"  {"unlisted",-22} {exported.Count - listed,5}\n");
        return text.ToString();
    }

    private static string Flags(BuildOptions options) =>
        (options.TestImage ? " --tests" : "") + (options.HideSymbols ? " --hide-symbols" : "");
}
