using System.Collections.Generic;

namespace Osv.Cli.CommandLine;

/// <summary>The options of `osv test`.</summary>
public sealed record TestOptions
{
    public bool NoBuild { get; init; }
    public string? Filter { get; init; }
    public bool ShowHelp { get; init; }

    public static TestOptions Parse(IReadOnlyList<string> arguments)
    {
        var options = new TestOptions();
        var reader = new ArgumentReader(arguments, Usage.Test);
        for (string? option = reader.NextOption(); option != null; option = reader.NextOption())
        {
            switch (option)
            {
                case "--no-build":
                    reader.NoValue(option);
                    options = options with { NoBuild = true };
                    break;
                case "--filter":
                    options = options with { Filter = reader.Value(option) };
                    break;
                case "-h":
                case "--help":
                    options = options with { ShowHelp = true };
                    break;
                default:
                    throw reader.Unknown(option);
            }
        }
        return options;
    }
}
