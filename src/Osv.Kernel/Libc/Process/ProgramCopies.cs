using System;
using Osv.Core.Elf;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// The C library's data objects an executable may take by COPY relocation (stdio streams and environ,
    /// the time-zone and getopt variables): where the executable keeps its copy — a defined object symbol
    /// of the expected size in its .dynsym, by name or alias — and resetting or adopting them all.
    /// </summary>
    internal static unsafe class ProgramCopies
    {
        /// <summary>A new program: every data object is the image's own again, at its C value.</summary>
        public static void ResetAll()
        {
            LibcData.Reset();
            Time.TimeZoneVariables.Reset();
            Getopt.GetoptVariables.Reset();
        }

        /// <summary>After linking: each object the executable took by COPY relocation becomes the object.</summary>
        public static void AdoptAll(in LoadedProgram program)
        {
            LibcData.AdoptProgramCopies(program);
            Time.TimeZoneVariables.AdoptProgramCopies(program);
            Getopt.GetoptVariables.AdoptProgramCopies(program);
        }

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
