using System.Collections.Generic;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.CommandLine;

/// <summary>The options of `osv build`.</summary>
public sealed record BuildOptions
{
    public string Arch { get; init; } = RepositoryLayout.SupportedArch;
    public bool ShowHelp { get; init; }
    public bool TestImage { get; init; }
    public string? Manifest { get; init; }
    public string? BootfsManifest { get; init; }
    public bool HideSymbols { get; init; }

    /// <summary>Parses build's options; `osv symbols` takes the same ones (with its own usage text).</summary>
    public static BuildOptions Parse(IReadOnlyList<string> arguments, string usage = Usage.Build)
    {
        var options = new BuildOptions();
        var reader = new ArgumentReader(arguments, usage);
        for (string? option = reader.NextOption(); option != null; option = reader.NextOption())
        {
            options = option switch
            {
                "--arch" => options with { Arch = ArchOption.Parse(reader, option) },
                "--tests" => options with { TestImage = true },
                "--manifest" => options with { Manifest = reader.Value(option) },
                "--bootfs-manifest" => options with { BootfsManifest = reader.Value(option) },
                "--hide-symbols" => options with { HideSymbols = true },
                "-h" or "--help" => options with { ShowHelp = true },
                _ => throw reader.Unknown(option),
            };
        }
        return options;
    }
}
