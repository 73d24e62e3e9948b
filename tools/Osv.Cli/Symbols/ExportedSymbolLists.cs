using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Symbols;

/// <summary>
/// exported_symbols/&lt;library&gt;.symbols plus the architecture's exported_symbols/&lt;arch&gt;/&lt;library&gt;.symbols:
/// one symbol per line, an optional provider word (`musl`, `asm`), `#` comments. The same rules as the
/// analyzer's reader (src/Osv.Analyzers/Rules/PublicAbiSymbolLists.cs). A symbol listed by two libraries
/// belongs to the first in library order (a symbol has one version node).
/// </summary>
public sealed class ExportedSymbolLists
{
    private ExportedSymbolLists(IReadOnlyList<string> libraries, IReadOnlyList<ExportedSymbol> symbols)
    {
        Libraries = libraries;
        Symbols = symbols;
    }

    /// <summary>Every library with a list file, libc.so.6 first, then by name.</summary>
    public IReadOnlyList<string> Libraries { get; }

    /// <summary>Every listed symbol once, grouped by library in <see cref="Libraries"/> order.</summary>
    public IReadOnlyList<ExportedSymbol> Symbols { get; }

    public IEnumerable<ExportedSymbol> Of(string library) => Symbols.Where(symbol => symbol.Library == library);

    public static ExportedSymbolLists Load(string directory, string arch)
    {
        var files = new List<string>();
        if (Directory.Exists(directory))
            files.AddRange(Directory.GetFiles(directory, "*.symbols"));
        string archDirectory = Path.Combine(directory, arch);
        if (Directory.Exists(archDirectory))
            files.AddRange(Directory.GetFiles(archDirectory, "*.symbols"));
        files.Sort(StringComparer.Ordinal);
        return Parse(files.Select(path => (Path.GetFileName(path)[..^".symbols".Length], path, File.ReadAllText(path))));
    }

    /// <summary>Parses (library, file name for messages, text) triples.</summary>
    public static ExportedSymbolLists Parse(IEnumerable<(string Library, string Source, string Text)> files)
    {
        var byLibrary = new SortedDictionary<string, List<ExportedSymbol>>(Comparer<string>.Create(CompareLibraries));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parsed = new List<(string Library, ExportedSymbol Symbol)>();
        foreach ((string library, string source, string text) in files)
        {
            if (!byLibrary.ContainsKey(library))
                byLibrary.Add(library, new List<ExportedSymbol>());
            string[] lines = text.Split('\n');
            for (int index = 0; index < lines.Length; index++)
            {
                string line = lines[index];
                int comment = line.IndexOf('#');
                string[] words = (comment < 0 ? line : line[..comment]).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                    continue;
                if (words.Length > 2)
                    throw new OsvException($"{source}:{index + 1}: expected 'symbol [musl|asm]', found '{line.Trim()}'");
                SymbolProvider provider = words.Length == 1 ? SymbolProvider.CSharp : ParseProvider(words[1], source, index + 1);
                parsed.Add((library, new ExportedSymbol(library, words[0], provider)));
            }
        }
        foreach ((string library, ExportedSymbol symbol) in parsed.OrderBy(entry => entry.Library, Comparer<string>.Create(CompareLibraries)))
        {
            if (seen.Add(symbol.Name))
                byLibrary[library].Add(symbol);
        }
        return new ExportedSymbolLists(byLibrary.Keys.ToList(), byLibrary.Values.SelectMany(list => list).ToList());
    }

    private static SymbolProvider ParseProvider(string word, string source, int line) => word switch
    {
        "musl" => SymbolProvider.Musl,
        "asm" => SymbolProvider.Assembly,
        _ => throw new OsvException($"{source}:{line}: unknown provider '{word}' (expected musl or asm; C# needs none)"),
    };

    // libc.so.6 owns the symbols glibc moved into it from libpthread/libdl/librt (2.34).
    private static int CompareLibraries(string a, string b)
    {
        const string libc = "libc.so.6";
        if (a == b)
            return 0;
        if (a == libc)
            return -1;
        if (b == libc)
            return 1;
        return string.CompareOrdinal(a, b);
    }
}
