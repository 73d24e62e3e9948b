using System;
using System.Collections.Generic;
using Osv.Cli.Build;
using Osv.Cli.CommandLine;
using Osv.Cli.Images;
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
        RepositoryLayout layout = RepositoryLayout.Locate(options.Arch, options.TestImage, options.HideSymbols);
        BootfsImage? bootfs = options.BootfsManifest != null ? BootfsImageBuilder.Build(options.BootfsManifest) : null;
        if (bootfs != null)
            Console.Out.WriteLine(
                $"osv build: bootfs is {bootfs.Archive.Length} bytes ({bootfs.Files} files, {bootfs.Directories} directories, {bootfs.Symlinks} symlinks)");
        new KernelBuilder(layout, Console.Out, bootfs?.Archive).Build();
        if (options.Manifest != null)
        {
            UsrImage image = UsrImageBuilder.Build(options.Manifest, layout.UsrImage, DefaultApplication.Compile(layout, Console.Out));
            Console.Out.WriteLine(
                $"osv build: {layout.Relative(image.Path)} is {image.Layout.DiskBytes} bytes: rofs ({image.FileSystemBytes} bytes; " +
                $"{image.Files} files, {image.Directories} directories, {image.Symlinks} symlinks) on partition 1 at {image.Layout.PartitionOffsetBytes}");
        }
        return 0;
    }
}
