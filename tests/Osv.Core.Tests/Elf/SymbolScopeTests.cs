using System;
using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>
/// The dynamic linker's lookup order (<see cref="SymbolScope"/>) over gcc-built objects: the executable
/// first (but never for its own COPY relocations), then the provider by name with versions ignored, then
/// nothing; and the library names the kernel stands in for.
/// </summary>
[Collection(ElfCollection.Name)]
public sealed unsafe class SymbolScopeTests
{
    private const ulong ExecutableBias = 0x1000_0000;
    private readonly GccElfObjects _objects;

    public SymbolScopeTests(GccElfObjects objects) => _objects = objects;

    /// <summary>The executable's own dynamic symbol entry for <paramref name="name"/>, as the relocation planner passes it.</summary>
    private static ElfSymbol OwnSymbol(ParsedElf executable, string name)
    {
        for (uint i = 1; i < executable.Symbols.Count; i++)
        {
            if (executable.Symbols.TryGetSymbol(i, out ElfSymbol symbol) && ParsedElf.Text(symbol.Name) == name)
                return symbol;
        }
        throw new InvalidOperationException($"{executable.Path} has no dynamic symbol {name}");
    }

    private static bool Resolve(ParsedElf executable, ParsedElf provider, string name, X64RelocationType type, out ResolvedSymbol result)
    {
        DynamicSymbols executableSymbols = executable.Symbols;
        DynamicSymbols providerSymbols = provider.Symbols;
        var scope = new SymbolScope
        {
            Executable = &executableSymbols,
            ExecutableBias = ExecutableBias,
            ExecutableTlsModuleId = 1,
            ExecutableTlsBlockOffset = -0x40,
            Provider = &providerSymbols,
        };
        ElfSymbol own = OwnSymbol(executable, name);
        var reference = new SymbolReference { Symbol = own, RelocationType = type };
        uint index = own.Index;
        reference.HasVersion = executable.Symbols.TryGetVersion(index, out reference.Version);
        ResolvedSymbol found = default;
        bool ok = SymbolScope.Resolve(&scope, &reference, &found);
        result = found;
        return ok;
    }

    [Fact]
    public void TheExecutablesOwnDefinitionComesFirst()
    {
        var executable = new ParsedElf(_objects[GccElfObjects.FixedAddress]); // lib_data lives in it after its COPY
        var library = new ParsedElf(_objects[GccElfObjects.Library]);
        ElfSymbol inExecutable = OwnSymbol(executable, "lib_data");
        Assert.True(inExecutable.IsDefined);

        Assert.True(Resolve(executable, library, "lib_data", X64RelocationType.GlobalData, out ResolvedSymbol result));

        Assert.Equal(ExecutableBias + inExecutable.Value, result.Address);
    }

    [Fact]
    public void ACopyRelocationTakesItsSourceFromTheProvider()
    {
        var executable = new ParsedElf(_objects[GccElfObjects.FixedAddress]);
        var library = new ParsedElf(_objects[GccElfObjects.Library]);
        Assert.True(library.Symbols.TryLookup("lib_data"u8, default, out ElfSymbol definition));

        Assert.True(Resolve(executable, library, "lib_data", X64RelocationType.Copy, out ResolvedSymbol result));

        Assert.Equal(definition.Value, result.Address); // the provider's bias is 0 here
        Assert.Equal(definition.Size, result.Size);
        Assert.Equal(SymbolType.Object, result.Type);
    }

    [Fact]
    public void TheProviderIsAskedByNameWhateverVersionTheReferenceWants()
    {
        var executable = new ParsedElf(_objects[GccElfObjects.Pie]);
        var library = new ParsedElf(_objects[GccElfObjects.Library]);
        ElfSymbol own = OwnSymbol(executable, "lib_add");
        Assert.True(executable.Symbols.TryGetVersion(own.Index, out SymbolVersion wanted));
        Assert.Equal("OSV_1.0", ParsedElf.Text(wanted.Name));
        Assert.True(library.Symbols.TryLookup("lib_versioned"u8, default, out ElfSymbol newest)); // the default (OSV_2.0) definition

        Assert.True(Resolve(executable, library, "lib_add", X64RelocationType.JumpSlot, out ResolvedSymbol add));
        Assert.True(Resolve(executable, library, "lib_versioned", X64RelocationType.JumpSlot, out ResolvedSymbol versioned));

        Assert.True(library.Symbols.TryLookup("lib_add"u8, default, out ElfSymbol addDefinition));
        Assert.Equal(addDefinition.Value, add.Address);
        Assert.Equal(newest.Value, versioned.Address);
    }

    [Fact]
    public void ANameNobodyDefinesIsNotFound()
    {
        var executable = new ParsedElf(_objects[GccElfObjects.Pie]);
        var library = new ParsedElf(_objects[GccElfObjects.Library]);

        Assert.False(Resolve(executable, library, "undefined_weak_function", X64RelocationType.GlobalData, out _));
        Assert.False(Resolve(executable, library, "__gmon_start__", X64RelocationType.GlobalData, out _));
    }

    /// <summary>Resolves with one library loaded from a file (at <paramref name="libraryBias"/>) between the executable and the provider.</summary>
    private static bool ResolveWithLibrary(ParsedElf executable, ParsedElf library, ulong libraryBias, ParsedElf provider, string name,
        X64RelocationType type, out ResolvedSymbol result)
    {
        DynamicSymbols executableSymbols = executable.Symbols;
        DynamicSymbols librarySymbols = library.Symbols;
        DynamicSymbols providerSymbols = provider.Symbols;
        var loaded = new ScopeObject { Symbols = &librarySymbols, Bias = libraryBias, TlsModuleId = 2, TlsBlockOffset = -0x80 };
        var scope = new SymbolScope
        {
            Executable = &executableSymbols,
            ExecutableBias = ExecutableBias,
            Libraries = &loaded,
            LibraryCount = 1,
            Provider = &providerSymbols,
        };
        ElfSymbol own = OwnSymbol(executable, name);
        var reference = new SymbolReference { Symbol = own, RelocationType = type };
        ResolvedSymbol found = default;
        bool ok = SymbolScope.Resolve(&scope, &reference, &found);
        result = found;
        return ok;
    }

    [Fact]
    public void ALoadedLibraryComesBeforeTheKernelAndOverridesIt()
    {
        const ulong libraryBias = 0x2000_0000;
        var executable = new ParsedElf(_objects[GccElfObjects.Pie]);
        var library = new ParsedElf(_objects[GccElfObjects.Library]);
        Assert.True(library.Symbols.TryLookup("lib_add"u8, default, out ElfSymbol definition));

        // The same object stands for the kernel too: the library's copy (with its bias) must win.
        Assert.True(ResolveWithLibrary(executable, library, libraryBias, library, "lib_add", X64RelocationType.JumpSlot, out ResolvedSymbol add));

        Assert.Equal(libraryBias + definition.Value, add.Address);
    }

    [Fact]
    public void ACopyRelocationOfTheExecutableTakesItsSourceFromALoadedLibrary()
    {
        const ulong libraryBias = 0x2000_0000;
        var executable = new ParsedElf(_objects[GccElfObjects.FixedAddress]);
        var library = new ParsedElf(_objects[GccElfObjects.Library]);
        Assert.True(library.Symbols.TryLookup("lib_data"u8, default, out ElfSymbol definition));

        Assert.True(ResolveWithLibrary(executable, library, libraryBias, library, "lib_data", X64RelocationType.Copy, out ResolvedSymbol result));

        Assert.Equal(libraryBias + definition.Value, result.Address);
        Assert.Equal(definition.Size, result.Size);
    }

    [Theory]
    [InlineData("libc.so.6", true)]
    [InlineData("libm.so.6", true)]
    [InlineData("libpthread.so.0", true)]
    [InlineData("libdl.so.2", true)]
    [InlineData("librt.so.1", true)]
    [InlineData("ld-linux-x86-64.so.2", true)]
    [InlineData("libc.so.7", false)]
    [InlineData("libstdc++.so.6", false)]
    [InlineData("libc.so", false)]
    [InlineData("", false)]
    public void TheKernelStandsInForGlibcsLibraries(string name, bool provided) =>
        Assert.Equal(provided, KernelLibraries.Provides(Encoding.UTF8.GetBytes(name)));
}
