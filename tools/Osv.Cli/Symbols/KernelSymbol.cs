namespace Osv.Cli.Symbols;

/// <summary>
/// One entry of the kernel's own symbol table (.ksyms): a code address, the symbol's size in
/// bytes (0 when the symbol has none, as with assembler labels) and its name.
/// </summary>
public readonly record struct KernelSymbol(ulong Address, uint Size, string Name);
