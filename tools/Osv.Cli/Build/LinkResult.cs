using System.Collections.Generic;
using Osv.Cli.Symbols;

namespace Osv.Cli.Build;

/// <summary>The linked image and the symbol table embedded in it.</summary>
public sealed record LinkResult(string Image, long ImageBytes, IReadOnlyList<KernelSymbol> Symbols);
