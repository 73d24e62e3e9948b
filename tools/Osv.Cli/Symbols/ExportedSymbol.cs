namespace Osv.Cli.Symbols;

/// <summary>One line of an export list: the symbol, the library that advertises it and what implements it.</summary>
public sealed record ExportedSymbol(string Library, string Name, SymbolProvider Provider);

/// <summary>What implements a listed symbol (the optional second word of its line, exported_symbols/README.md).</summary>
public enum SymbolProvider
{
    /// <summary>No annotation: a C# method with [UnmanagedCallersOnly(EntryPoint = ...)] and [OsvApi].</summary>
    CSharp,
    /// <summary>`musl`: a member of musl's libc.a linked into the image.</summary>
    Musl,
    /// <summary>`asm`: an assembly file of the kernel.</summary>
    Assembly,
}
