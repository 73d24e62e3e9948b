using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Osv.Cli.Infrastructure;
using Osv.Cli.Symbols;
using Xunit;

namespace Osv.Integration.Tests;

/// <summary>
/// The built images against exported_symbols/, with binutils as the oracle: every listed symbol is a
/// defined dynamic symbol of build/x64/loader.elf (readelf) and of build/x64-hidden/loader.elf (nm -D),
/// and the hidden image exports nothing else.
/// </summary>
public sealed class ExportedSymbolsTests
{
    private static ExportedSymbolLists Lists => ExportedSymbolLists.Load(Kernel.Layout.ExportedSymbolsDirectory, Kernel.Layout.Arch);

    [Fact]
    public void TheDefaultImageExportsEveryListedSymbolInItsLibrarysVersion()
    {
        string image = RequireImage(Kernel.Layout);
        Dictionary<string, string> exported = ReadelfDefinedDynamicSymbols(image);

        Assert.NotEmpty(Lists.Symbols);
        foreach (ExportedSymbol symbol in Lists.Symbols)
        {
            Assert.True(exported.TryGetValue(symbol.Name, out string? version), $"{symbol.Name} ({symbol.Library}) is not exported by {image}");
            Assert.Equal(Osv.Cli.Build.VersionScript.NodeName(symbol.Library), version);
        }
        // Without hiding, the kernel's other globals are dynamic too (unversioned).
        Assert.Contains("osv_kernel_main", exported.Keys);
    }

    [Fact]
    public void TheHiddenImageExportsExactlyTheListedSymbols()
    {
        string image = RequireImage(Kernel.Layout.WithHiddenSymbols(true));
        string output = ExternalCommand.RunChecked("nm", new[] { "-D", "--defined-only", image }, "/");
        var exported = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd().Split(' ', 3))
            .Where(fields => fields.Length == 3 && fields[1] != "A") // A: the version-definition names
            .Select(fields => fields[2].Split('@')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Lists.Symbols.Select(symbol => symbol.Name).OrderBy(name => name, StringComparer.Ordinal),
                     exported.OrderBy(name => name, StringComparer.Ordinal));
    }

    [Fact]
    public void ImagesHaveNoProgramInterpreterNoNeededLibraryAndNoDynamicRelocations()
    {
        foreach (RepositoryLayout layout in new[] { Kernel.Layout, Kernel.Layout.WithHiddenSymbols(true) })
        {
            string image = RequireImage(layout);
            string dynamic = ExternalCommand.RunChecked("readelf", new[] { "-d", "-l", "-r", "-W", image }, "/");
            Assert.Contains("DYNAMIC", dynamic);
            Assert.Contains("(GNU_HASH)", dynamic);
            Assert.DoesNotContain("INTERP", dynamic);
            Assert.DoesNotContain("(NEEDED)", dynamic);
            Assert.Contains("There are no relocations in this file.", dynamic);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task TheHiddenImageBootsLikeTheDefaultOne()
    {
        string image = RequireImage(Kernel.Layout.WithHiddenSymbols(true));
        var result = await new Osv.Cli.Qemu.QemuRunner().RunAsync(new Osv.Cli.Qemu.QemuOptions(image)
        {
            CommandLine = "--bootchart",
            Timeout = Kernel.BootTimeout,
        });

        Kernel.Line(result, @"^Booted up in \d+\.\d+ ms$");
        Kernel.Line(result, "^Cmdline: --bootchart$");
        Kernel.ExitedWith(result, 0);
    }

    private static string RequireImage(RepositoryLayout layout)
    {
        Assert.True(File.Exists(layout.Image), $"{layout.Image} not found: run ./osv build{(layout.HideSymbols ? " --hide-symbols" : "")} first");
        return layout.Image;
    }

    /// <summary>name -> version node ("" when unversioned) of every defined .dynsym entry, as readelf prints them.</summary>
    private static Dictionary<string, string> ReadelfDefinedDynamicSymbols(string image)
    {
        string output = ExternalCommand.RunChecked("readelf", new[] { "--dyn-syms", "-W", image }, "/");
        var symbols = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Num: Value Size Type Bind Vis Ndx Name
            if (fields.Length < 8 || !fields[0].EndsWith(':') || fields[6] is "UND" or "ABS")
                continue;
            string[] nameAndVersion = fields[7].Split('@', StringSplitOptions.RemoveEmptyEntries);
            symbols[nameAndVersion[0]] = nameAndVersion.Length > 1 ? nameAndVersion[1] : "";
        }
        return symbols;
    }
}
