using System;
using Osv.Core.Elf;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// Where an executable keeps its own copy of one of the C library's data objects: a defined object
    /// symbol of the expected size in its .dynsym (what a COPY relocation leaves), by name or alias.
    /// </summary>
    internal static unsafe class ProgramCopies
    {
        public static void* Find(in LoadedProgram program, ReadOnlySpan<byte> name, ReadOnlySpan<byte> alias, ulong size)
        {
            DynamicSymbols symbols = program.Symbols;
            if ((symbols.TryLookup(name, default, out ElfSymbol symbol) || (!alias.IsEmpty && symbols.TryLookup(alias, default, out symbol)))
                && symbol.Size == size && symbol.Type == SymbolType.Object && symbol.Value != 0)
                return (void*)(program.Bias + symbol.Value);
            return null;
        }
    }
}
