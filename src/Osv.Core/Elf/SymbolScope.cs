namespace Osv.Core.Elf;

/// <summary>
/// The dynamic linker's lookup order for an application, as a <see cref="RelocationContext.Resolve"/> callback:
/// <list type="number">
/// <item>the executable itself (its definitions interpose on the kernel's, as the executable comes first in
/// glibc's global scope) — except for a COPY relocation, whose source must be another object;</item>
/// <item>in the executable and the libraries a versioned reference matches a definition of that version or
/// an unversioned one, as in glibc: so a library's reference to its own non-default (`@`, hidden) version,
/// such as libgcc_s's `__cpu_indicator_init@GCC_4.8.0`, finds it;</item>
/// <item>the libraries loaded from files (DT_NEEDED), in load order (breadth first): they come before the
/// kernel, so a library's definition overrides the kernel's for every object's references (glibc's global
/// scope puts libc.so.6 after the libraries that need it);</item>
/// <item>the provider: the kernel image's .dynsym, looked up by name only. The kernel has one version node
/// per library it stands in for (<c>libc.so.6</c>, <c>libm.so.6</c>, ...), while applications ask for glibc's
/// versions (<c>GLIBC_2.2.5</c>, <c>GLIBC_2.34</c>): those name interfaces of glibc's history the kernel
/// implements at their current shape, so the version a reference asks for is ignored;</item>
/// <item>nothing: the relocation applier binds a weak reference to 0 (<c>__gmon_start__</c>, <c>_ITM_*</c>)
/// and reports any other as an undefined symbol.</item>
/// </list>
/// </summary>
public unsafe struct SymbolScope
{
    public DynamicSymbols* Executable;
    public ulong ExecutableBias;
    public ulong ExecutableTlsModuleId;
    public long ExecutableTlsBlockOffset;
    public ScopeObject* Libraries;
    public int LibraryCount;
    public DynamicSymbols* Provider;
    public ulong ProviderBias;

    public static bool Resolve(void* state, SymbolReference* reference, ResolvedSymbol* result)
    {
        SymbolScope* scope = (SymbolScope*)state;
        System.ReadOnlySpan<byte> name = reference->Symbol.Name;
        uint hash = SymbolHash.Gnu(name);
        System.ReadOnlySpan<byte> version = reference->HasVersion ? reference->Version.Name : default;
        ElfSymbol definition;
        if (!reference->ExcludesReferencingObject && scope->Executable != null
            && scope->Executable->TryLookup(name, hash, version, out definition))
        {
            Fill(result, definition, scope->ExecutableBias, scope->ExecutableTlsModuleId, scope->ExecutableTlsBlockOffset);
            return true;
        }
        for (int i = 0; i < scope->LibraryCount; i++)
        {
            ScopeObject* library = scope->Libraries + i;
            if (library->Symbols->TryLookup(name, hash, version, out definition))
            {
                Fill(result, definition, library->Bias, library->TlsModuleId, library->TlsBlockOffset);
                return true;
            }
        }
        if (scope->Provider != null && scope->Provider->TryLookup(name, hash, default, out definition))
        {
            Fill(result, definition, scope->ProviderBias, 0, 0);
            return true;
        }
        return false;
    }

    private static void Fill(ResolvedSymbol* result, in ElfSymbol definition, ulong bias, ulong tlsModule, long tlsOffset)
    {
        result->Type = definition.Type;
        result->Size = definition.Size;
        if (definition.Type == SymbolType.Tls)
        {
            result->Address = definition.Value;
            result->TlsModuleId = tlsModule;
            result->TlsBlockOffset = tlsOffset;
        }
        else
        {
            result->Address = definition.SectionIndex == ElfSymbol.AbsoluteSection ? definition.Value : definition.Value + bias;
        }
    }
}

/// <summary>One library in a <see cref="SymbolScope"/>: its symbols, load bias and TLS module.</summary>
public unsafe struct ScopeObject
{
    public DynamicSymbols* Symbols;
    public ulong Bias;
    public ulong TlsModuleId;
    public long TlsBlockOffset;
}
