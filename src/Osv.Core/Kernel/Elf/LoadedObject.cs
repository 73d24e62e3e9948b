namespace Osv.Core.Elf
{
    /// <summary>
    /// One object of the running program as the introspection calls (dladdr, dl_iterate_phdr,
    /// _dl_find_object, dlinfo) see it: the executable, a library, or the kernel image standing in for libc.
    /// Everything it points at lives until the program ends.
    /// </summary>
    public unsafe struct LoadedObject
    {
        public LinkMap* Map;
        /// <summary>The object's file as dladdr names it (the executable's path, a library's path, "libc.so.6"), NUL-terminated.</summary>
        public byte* Path;
        public ProgramHeaderTable Headers;
        public DynamicSymbols Symbols;
        /// <summary>.dynsym at run time (0 when the object has none): dladdr1's RTLD_DL_SYMENT answer is an entry of it.</summary>
        public ulong SymbolTable;
        /// <summary>The object's TLS module id, 0 when it has no PT_TLS.</summary>
        public ulong TlsModuleId;

        public ulong Bias => Headers.Bias;
    }
}
