using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Osv.Analyzers.Rules
{
    /// <summary>
    /// The export lists the build passes as AdditionalFiles: every additional file named
    /// <c>&lt;library&gt;.symbols</c> (exported_symbols/ at the repository root). One symbol per line,
    /// optionally followed by the provider that implements it outside C# (<c>musl</c>: libc.a;
    /// <c>asm</c>: an assembly file); <c>#</c> starts a comment that runs to the end of the line;
    /// blank lines are ignored. Files with
    /// the same library name (e.g. exported_symbols/libc.so.6.symbols and an architecture's
    /// exported_symbols/x64/libc.so.6.symbols) add up to one list.
    /// </summary>
    internal sealed class PublicAbiSymbolLists
    {
        public const string Extension = ".symbols";

        /// <summary>The provider words: implemented by musl's libc.a, or by the kernel's assembly.</summary>
        public const string MuslProvider = "musl";
        public const string AssemblyProvider = "asm";

        private readonly Dictionary<string, HashSet<string>> _byLibrary;
        private readonly HashSet<string> _all;

        private PublicAbiSymbolLists(Dictionary<string, HashSet<string>> byLibrary, ImmutableArray<Entry> entries)
        {
            _byLibrary = byLibrary;
            Entries = entries;
            _all = new HashSet<string>(StringComparer.Ordinal);
            foreach (Entry entry in entries)
                _all.Add(entry.Symbol);
        }

        /// <summary>One listed symbol, with its place in the list file (for OSV4003).</summary>
        public sealed class Entry
        {
            public Entry(string library, string symbol, string provider, Location location)
            {
                Library = library;
                Symbol = symbol;
                Provider = provider;
                Location = location;
            }

            public string Library { get; }
            public string Symbol { get; }
            /// <summary>"" for C# (no annotation), else the line's second word, as written.</summary>
            public string Provider { get; }
            public Location Location { get; }

            public bool IsImplementedInCSharp => Provider.Length == 0;
            public bool HasKnownProvider => Provider.Length == 0 || Provider == MuslProvider || Provider == AssemblyProvider;
        }

        /// <summary>Every listed symbol in file order (files in path order).</summary>
        public ImmutableArray<Entry> Entries { get; }

        /// <summary>True when at least one list file was passed.</summary>
        public bool Any => _byLibrary.Count > 0;

        public bool HasLibrary(string library) => _byLibrary.ContainsKey(library);

        public bool Lists(string library, string symbol)
            => _byLibrary.TryGetValue(library, out HashSet<string>? symbols) && symbols.Contains(symbol);

        /// <summary>Listed by any library (the module API or the libc ABI).</summary>
        public bool ListsAnywhere(string symbol) => _all.Contains(symbol);

        public static PublicAbiSymbolLists Read(ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
        {
            var byLibrary = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var entries = ImmutableArray.CreateBuilder<Entry>();
            var ordered = new List<AdditionalText>();
            foreach (AdditionalText file in files)
            {
                if (LibraryOf(file.Path) != null)
                    ordered.Add(file);
            }
            ordered.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

            foreach (AdditionalText file in ordered)
            {
                string library = LibraryOf(file.Path)!;
                if (!byLibrary.TryGetValue(library, out HashSet<string>? symbols))
                {
                    symbols = new HashSet<string>(StringComparer.Ordinal);
                    byLibrary.Add(library, symbols);
                }
                SourceText? text = file.GetText(cancellationToken);
                if (text == null)
                    continue;
                foreach (TextLine line in text.Lines)
                {
                    string content = line.ToString();
                    int end = content.IndexOf('#');
                    if (end < 0)
                        end = content.Length;
                    int start = 0;
                    while (start < end && char.IsWhiteSpace(content[start]))
                        start++;
                    while (end > start && char.IsWhiteSpace(content[end - 1]))
                        end--;
                    if (start == end)
                        continue;
                    string words = content.Substring(start, end - start);
                    int gap = 0;
                    while (gap < words.Length && !char.IsWhiteSpace(words[gap]))
                        gap++;
                    string symbol = words.Substring(0, gap);
                    // Everything after the symbol is the provider; a third word makes it unknown (OSV4006).
                    string provider = words.Substring(gap).Trim();
                    symbols.Add(symbol);
                    var span = new TextSpan(line.Start + start, end - start);
                    entries.Add(new Entry(library, symbol, provider, Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span))));
                }
            }
            return new PublicAbiSymbolLists(byLibrary, entries.ToImmutable());
        }

        /// <summary>"libc.so.6" for ".../exported_symbols/libc.so.6.symbols"; null for other files.</summary>
        private static string? LibraryOf(string path)
        {
            int slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
            string name = path.Substring(slash + 1);
            if (name.Length <= Extension.Length || !name.EndsWith(Extension, StringComparison.Ordinal))
                return null;
            return name.Substring(0, name.Length - Extension.Length);
        }
    }
}
