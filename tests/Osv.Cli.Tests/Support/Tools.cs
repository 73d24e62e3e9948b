using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Tests.Support;

/// <summary>Host tools the tests use as builders and as independent oracles.</summary>
public static class Tools
{
    public static void Run(string workingDirectory, string program, params string[] arguments) =>
        ExternalCommand.RunChecked(program, arguments, workingDirectory);

    /// <summary>One line of `nm` output.</summary>
    public sealed record NmSymbol(ulong Value, char Kind, string Name)
    {
        /// <summary>nm's letters for symbols in code sections (text, and weak ones there).</summary>
        public bool IsCode => Kind is 'T' or 't' or 'W' or 'w';
    }

    /// <summary>Defined symbols as GNU nm sees them (nm omits section and file symbols).</summary>
    public static IReadOnlyList<NmSymbol> Nm(string file)
    {
        string output = ExternalCommand.RunChecked("nm", new[] { "--defined-only", file }, "/");
        var symbols = new List<NmSymbol>();
        foreach (string line in output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0))
        {
            string[] fields = line.Split(' ', 3);
            symbols.Add(new NmSymbol(ulong.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), fields[1][0], fields[2]));
        }
        return symbols;
    }
}
