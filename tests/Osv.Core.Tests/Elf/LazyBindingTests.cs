using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>
/// Which relocations wait for lazy binding, on gcc's own objects: only JUMP_SLOTs of missing functions, only in
/// objects without BIND_NOW, and such a slot keeps its PLT entry's `push index` (plus the load bias).
/// </summary>
[Collection(ElfCollection.Name)]
public sealed unsafe class LazyBindingTests
{
    private const ulong FakeBase = 0x7f12_3456_0000;
    private const byte PushImmediate32 = 0x68;

    private readonly GccElfObjects _objects;

    public LazyBindingTests(GccElfObjects objects) => _objects = objects;

    private sealed class Scope
    {
        public readonly HashSet<string> Missing = new() { "undefined_weak_function", "__gmon_start__", "_ITM_registerTMCloneTable", "_ITM_deregisterTMCloneTable" };
        public readonly byte[] Pool = GC.AllocateArray<byte>(1 << 12, pinned: true);
    }

    private static ulong AddressOf(string name) => 0x5000_0000_0000UL + SymbolHash.Gnu(Encoding.UTF8.GetBytes(name)) * 16UL;

    private static bool Resolve(void* state, SymbolReference* reference, ResolvedSymbol* result)
    {
        var scope = (Scope)GCHandle.FromIntPtr((IntPtr)state).Target!;
        string name = ParsedElf.Text(reference->Symbol.Name);
        if (scope.Missing.Contains(name))
            return false;
        result->Type = reference->Symbol.Type == SymbolType.Tls ? SymbolType.Tls : SymbolType.Function;
        result->Size = reference->Symbol.Size;
        // COPY sources must be real memory; every other definition is a made-up address.
        fixed (byte* pool = scope.Pool)
            result->Address = reference->RelocationType == X64RelocationType.Copy ? (ulong)pool : AddressOf(name);
        return true;
    }

    private static ElfError Relocate(LoadedElf loaded, Scope scope, bool lazy, out int deferred)
    {
        GCHandle handle = GCHandle.Alloc(scope);
        try
        {
            var context = new RelocationContext
            {
                Image = loaded.View,
                LoadBias = FakeBase,
                Resolve = &Resolve,
                ResolverState = (void*)GCHandle.ToIntPtr(handle),
                CallIfuncResolver = &Identity,
                DefersMissingFunctions = lazy,
            };
            context.ObjectName = "app"u8;
            return RelocationApplier.ApplyAll(loaded.Dynamic, loaded.Symbols, context, out deferred);
        }
        finally
        {
            handle.Free();
        }
    }

    private static ulong Identity(ulong resolver) => resolver;

    [Fact]
    public void OnlyObjectsWithoutBindNowAndWithAPltGotMayBindLazily()
    {
        Assert.True(LazyBinding.IsAllowed(new ParsedElf(_objects[GccElfObjects.Pie]).Dynamic));
        Assert.True(LazyBinding.IsAllowed(new ParsedElf(_objects[GccElfObjects.Library]).Dynamic));
        DynamicSection hardened = new ParsedElf(_objects[GccElfObjects.Hardened]).Dynamic;
        Assert.True(hardened.IsBindNow);
        Assert.False(LazyBinding.IsAllowed(hardened));

        DynamicSection plain = new ParsedElf(_objects[GccElfObjects.Pie]).Dynamic;
        plain.Flags1 |= DynamicFlags.Now1;
        Assert.False(LazyBinding.IsAllowed(plain)); // DF_1_NOW alone (ld -z now on newer binutils)
        plain = new ParsedElf(_objects[GccElfObjects.Pie]).Dynamic;
        plain.Flags |= DynamicFlags.BindNow;
        Assert.False(LazyBinding.IsAllowed(plain)); // DF_BIND_NOW alone
        plain = new ParsedElf(_objects[GccElfObjects.Pie]).Dynamic;
        plain.PltGot = 0;
        Assert.False(LazyBinding.IsAllowed(plain)); // nowhere to put GOT[1] and GOT[2]
    }

    [Fact]
    public void AMissingFunctionKeepsItsPltEntryAndEverythingElseIsBound()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        using var loaded = new LoadedElf(file);
        var scope = new Scope();
        scope.Missing.Add("lib_add");
        ParsedElf.AssertOk(Relocate(loaded, scope, lazy: true, out int deferred));
        Assert.Equal(1, deferred);

        var symbols = Readelf.DynamicSymbols(file.Path);
        var plt = Readelf.Relocations(file.Path).Rela.Where(r => r.Type == (uint)X64RelocationType.JumpSlot).ToList();
        int missing = plt.FindIndex(r => symbols[(int)r.SymbolIndex].Name == "lib_add");
        Assert.True(missing >= 0, "lib_add is called through the PLT");
        ulong linkTime = BitConverter.ToUInt64(file.Bytes, (int)FileOffset(file, plt[missing].Offset));
        Assert.Equal(FakeBase + linkTime, loaded.Read64(plt[missing].Offset));
        // The slot's link-time value is the entry's `push <index in DT_JMPREL>`, which PLT0 hands the resolver.
        ulong push = FileOffset(file, linkTime);
        Assert.Equal(PushImmediate32, file.Bytes[push]);
        Assert.Equal(missing, BitConverter.ToInt32(file.Bytes, (int)push + 1));
        foreach (ReadelfRelocation other in plt.Where((_, i) => i != missing))
            Assert.Equal(AddressOf(symbols[(int)other.SymbolIndex].Name), loaded.Read64(other.Offset));
    }

    [Fact]
    public void WithoutLazyBindingAMissingFunctionFailsTheLoad()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        using var loaded = new LoadedElf(file);
        var scope = new Scope();
        scope.Missing.Add("lib_add");
        ElfError error = Relocate(loaded, scope, lazy: LazyBinding.IsAllowed(new ParsedElf(_objects[GccElfObjects.Hardened]).Dynamic), out int deferred);
        Assert.Equal(ElfStatus.UndefinedSymbol, error.Status);
        Assert.Equal("lib_add", ParsedElf.Text(error.SymbolName));
        Assert.Equal(0, deferred);
    }

    [Fact]
    public void MissingDataStillFailsTheLoadOfALazyObject()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        using var loaded = new LoadedElf(file);
        var scope = new Scope();
        scope.Missing.Add("lib_data");
        ElfError error = Relocate(loaded, scope, lazy: true, out _);
        Assert.Equal(ElfStatus.UndefinedSymbol, error.Status);
        Assert.Equal("lib_data", ParsedElf.Text(error.SymbolName));
        ReadelfRelocation relocation = Readelf.Relocations(file.Path).Rela[error.Index];
        Assert.NotEqual((uint)X64RelocationType.JumpSlot, relocation.Type);
    }

    [Fact]
    public void TheResolverGoesIntoGotOneAndTwo()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        using var loaded = new LoadedElf(file);
        ulong got = loaded.Dynamic.PltGot;
        ulong first = loaded.Read64(got);
        ParsedElf.AssertOk(LazyBinding.InstallResolver(loaded.Dynamic, loaded.View, 0x1111_2222, 0x3333_4444));
        Assert.Equal(first, loaded.Read64(got)); // GOT[0] (the link-time _DYNAMIC) is not the resolver's
        Assert.Equal(0x1111_2222UL, loaded.Read64(got + 8));
        Assert.Equal(0x3333_4444UL, loaded.Read64(got + 16));
        Assert.Equal(ElfStatus.RelocationTargetUnmapped, LazyBinding.InstallResolver(loaded.Dynamic, file.View, 1, 2).Status);
    }

    [Theory]
    [InlineData(true, "LD_BIND_NOW=1")]
    [InlineData(true, "HOME=/", "LD_BIND_NOW=yes")]
    [InlineData(false, "LD_BIND_NOW=")]
    [InlineData(false, "LD_BIND_NOWS=1")]
    [InlineData(false, "XLD_BIND_NOW=1")]
    [InlineData(false)]
    public void LdBindNowCountsWhenItIsNotEmpty(bool expected, params string[] environment) =>
        Assert.Equal(expected, LazyBinding.AsksForBindNow(environment));

    private static ulong FileOffset(ParsedElf file, ulong address)
    {
        Assert.True(file.Image.TryTranslate(address, 8, out ulong offset));
        return offset;
    }
}
