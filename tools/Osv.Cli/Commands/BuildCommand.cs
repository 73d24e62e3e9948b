using System;
using System.Collections.Generic;
using Osv.Cli.Build;
using Osv.Cli.CommandLine;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Commands;

/// <summary>
/// `osv build`: builds build/x64/loader.elf, or with --tests the test image build/x64-tests/loader.elf;
/// --hide-symbols links the same kernel into build/x64[-tests]-hidden/ exporting only the listed symbols.
/// </summary>
public static class BuildCommand
{
    public static int Execute(IReadOnlyList<string> arguments)
    {
        BuildOptions options = BuildOptions.Parse(arguments);
        if (options.ShowHelp)
        {
            Console.Out.Write(Usage.Build);
            return 0;
        }
        new KernelBuilder(RepositoryLayout.Locate(options.Arch, options.TestImage, options.HideSymbols), Console.Out).Build();
        return 0;
    }
}
