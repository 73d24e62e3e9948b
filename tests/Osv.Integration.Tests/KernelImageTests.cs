using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Osv.Cli.Elf;
using Osv.Cli.Infrastructure;
using Osv.Cli.Symbols;
using Xunit;

namespace Osv.Integration.Tests;

/// <summary>The built image itself: its embedded symbol table against GNU nm as an independent oracle.</summary>
public sealed class KernelImageTests
{
    [Fact]
    public void TheEmbeddedSymbolTableNamesEveryCodeAddressNmSees()
    {
        string image = Kernel.Layout.Image;
        Assert.True(File.Exists(image), $"{image} not found: run ./osv build first");
        Elf64File elf = Elf64File.Load(image);
        ElfSection ksyms = elf.FindSection(".ksyms") ?? throw new Xunit.Sdk.XunitException($"{image} has no .ksyms section");
        IReadOnlyList<KernelSymbol> table = KsymsBlob.Read(elf.ReadSectionData(ksyms), image);

        var nmCode = NmCodeSymbols(image);
        Assert.Equal(nmCode.Select(s => s.Address).Distinct().OrderBy(a => a), table.Select(s => s.Address));
        foreach (KernelSymbol symbol in table)
            Assert.Contains(nmCode, s => s.Address == symbol.Address && s.Name == symbol.Name);
        Assert.Contains(table, s => s.Name.Contains("KernelMain", StringComparison.Ordinal));
    }

    private static List<(ulong Address, string Name)> NmCodeSymbols(string image)
    {
        string output = ExternalCommand.RunChecked("nm", new[] { "--defined-only", image }, "/");
        var symbols = new List<(ulong, string)>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.TrimEnd().Split(' ', 3);
            if (fields.Length == 3 && fields[1] is "T" or "t" or "W" or "w" && !fields[2].StartsWith('.'))
            {
                ulong address = ulong.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (address != 0)
                    symbols.Add((address, fields[2]));
            }
        }
        return symbols;
    }
}
