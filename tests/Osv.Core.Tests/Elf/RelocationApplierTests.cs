using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>
/// Relocates gcc-built objects laid out in host memory that stands for a fake run-time base, with a scripted
/// resolver, and checks every stored value against readelf's relocation list and the psABI formulas.
/// </summary>
[Collection(ElfCollection.Name)]
public sealed unsafe class RelocationApplierTests
{
    private const ulong FakeBase = 0x7f12_3456_0000;
    private const ulong TlsModule = 7;
    private const long TlsBlock = -0x100;
    private const ulong TlsSymbolOffset = 0x10;

    private readonly GccElfObjects _objects;

    public RelocationApplierTests(GccElfObjects objects) => _objects = objects;

    /// <summary>What the scripted resolver knows: names it refuses, IFUNCs, real memory for COPY sources.</summary>
    private sealed class FakeScope
    {
        public readonly HashSet<string> Missing = new() { "undefined_weak_function", "__gmon_start__", "_ITM_registerTMCloneTable", "_ITM_deregisterTMCloneTable", "missing_weak" };
        public readonly HashSet<string> Ifuncs = new();
        public readonly Dictionary<string, (ulong Address, ulong Size)> Data = new();
        public readonly List<(string Name, string Version, X64RelocationType Type)> Requests = new();
        /// <summary>Real memory for COPY sources nobody scripted: a PIE copies extern data (lib_data, stdout) too.</summary>
        public readonly byte[] Pool = PatternedPool();
        private int _poolUsed;

        public ulong CopySource(ulong size)
        {
            fixed (byte* pool = Pool)
            {
                ulong address = (ulong)(pool + _poolUsed);
                _poolUsed += (int)((size + 15) & ~15UL);
                return address;
            }
        }

        private static byte[] PatternedPool()
        {
            byte[] pool = GC.AllocateArray<byte>(1 << 16, pinned: true);
            for (int i = 0; i < pool.Length; i++)
                pool[i] = (byte)(i * 37 + 1);
            return pool;
        }

        public static ulong AddressOf(string name) => 0x5000_0000_0000UL + SymbolHash.Gnu(Encoding.UTF8.GetBytes(name)) * 16UL;
    }

    private static bool Resolve(void* state, SymbolReference* reference, ResolvedSymbol* result)
    {
        var scope = (FakeScope)GCHandle.FromIntPtr((IntPtr)state).Target!;
        string name = ParsedElf.Text(reference->Symbol.Name);
        scope.Requests.Add((name, reference->HasVersion ? ParsedElf.Text(reference->Version.Name) : "", reference->RelocationType));
        if (scope.Missing.Contains(name))
            return false;
        if (reference->Symbol.Type == SymbolType.Tls)
        {
            result->Type = SymbolType.Tls;
            result->Address = TlsSymbolOffset;
            result->TlsModuleId = TlsModule;
            result->TlsBlockOffset = TlsBlock;
            return true;
        }
        if (reference->RelocationType == X64RelocationType.Copy && !scope.Data.ContainsKey(name))
            scope.Data[name] = (scope.CopySource(reference->Symbol.Size), reference->Symbol.Size);
        (result->Address, result->Size) = scope.Data.TryGetValue(name, out var data) ? data : (FakeScope.AddressOf(name), reference->Symbol.Size);
        result->Type = scope.Ifuncs.Contains(name) ? SymbolType.GnuIndirectFunction : SymbolType.Function;
        return true;
    }

    private static ulong FakeIfuncCall(ulong resolver) => resolver ^ 0xFFFF;

    private static ElfError Relocate(LoadedElf loaded, FakeScope scope, string objectName, ulong bias, bool canCallIfuncs = true)
    {
        GCHandle handle = GCHandle.Alloc(scope);
        try
        {
            var context = new RelocationContext
            {
                Image = loaded.View,
                LoadBias = bias,
                TlsModuleId = TlsModule,
                TlsBlockOffset = TlsBlock,
                Resolve = &Resolve,
                ResolverState = (void*)GCHandle.ToIntPtr(handle),
                CallIfuncResolver = canCallIfuncs ? &FakeIfuncCall : null,
            };
            context.ObjectName = Encoding.ASCII.GetBytes(objectName + "\0").AsSpan(0, objectName.Length);
            return RelocationApplier.ApplyAll(loaded.Dynamic, loaded.Symbols, context);
        }
        finally
        {
            handle.Free();
        }
    }

    [Theory]
    [InlineData(GccElfObjects.Pie)]
    [InlineData(GccElfObjects.Hardened)]
    [InlineData(GccElfObjects.PackedRelative)]
    [InlineData(GccElfObjects.Library)]
    public void StoredValuesFollowThePsAbiFormulas(string subject)
    {
        var file = new ParsedElf(_objects[subject]);
        using var loaded = new LoadedElf(file);
        var scope = new FakeScope();
        scope.Ifuncs.Add("lib_twice");
        ParsedElf.AssertOk(Relocate(loaded, scope, subject, FakeBase));
        var symbols = Readelf.DynamicSymbols(file.Path);
        var (rela, relr) = Readelf.Relocations(file.Path);
        foreach (ReadelfRelocation relocation in rela)
        {
            string name = symbols[(int)relocation.SymbolIndex].Name;
            if (relocation.Type == (uint)X64RelocationType.Copy)
            {
                (ulong source, ulong size) = scope.Data[name];
                Assert.True(new ReadOnlySpan<byte>(loaded.Memory + (relocation.Offset - file.Image.LoadStart), (int)size)
                    .SequenceEqual(new ReadOnlySpan<byte>((void*)source, (int)size)), "COPY of " + name);
                continue;
            }
            ulong symbol = scope.Missing.Contains(name) ? 0 : FakeScope.AddressOf(name);
            if (name == "lib_twice")
                symbol = FakeIfuncCall(symbol);
            ulong expected = (X64RelocationType)relocation.Type switch
            {
                X64RelocationType.Relative => FakeBase + (ulong)relocation.Addend,
                X64RelocationType.GlobalData or X64RelocationType.JumpSlot => symbol,
                X64RelocationType.Direct64 => symbol + (ulong)relocation.Addend,
                X64RelocationType.DtpModule64 => TlsModule,
                X64RelocationType.DtpOffset64 => TlsSymbolOffset + (ulong)relocation.Addend,
                X64RelocationType.TpOffset64 => (ulong)(TlsBlock + (long)TlsSymbolOffset + relocation.Addend),
                var other => throw new InvalidOperationException("unexpected relocation type " + other),
            };
            Assert.True(expected == loaded.Read64(relocation.Offset), $"{(X64RelocationType)relocation.Type} at 0x{relocation.Offset:x} ({name})");
        }
        foreach (ulong address in relr)
        {
            ulong original = BitConverter.ToUInt64(file.Bytes, (int)FileOffset(file, address));
            Assert.Equal(FakeBase + original, loaded.Read64(address));
        }
        Assert.Equal(rela.Count(r => r.SymbolIndex != 0 && symbols[(int)r.SymbolIndex].Binding != "LOCAL"), scope.Requests.Count);
    }

    [Fact]
    public void StaticPieRelocatesItselfAndCallsIfuncResolvers()
    {
        var file = new ParsedElf(_objects[GccElfObjects.StaticPie]);
        using var loaded = new LoadedElf(file);
        var context = new RelocationContext { Image = loaded.View, LoadBias = FakeBase, CallIfuncResolver = &FakeIfuncCall };
        ParsedElf.AssertOk(RelocationApplier.ApplyAll(loaded.Dynamic, loaded.Symbols, context));
        var rela = Readelf.Relocations(file.Path).Rela;
        Assert.Contains(rela, r => r.Type == (uint)X64RelocationType.IRelative);
        foreach (ReadelfRelocation relocation in rela)
        {
            ulong target = FakeBase + (ulong)relocation.Addend;
            Assert.Equal(relocation.Type == (uint)X64RelocationType.IRelative ? FakeIfuncCall(target) : target, loaded.Read64(relocation.Offset));
        }

        using var again = new LoadedElf(file);
        context.Image = again.View;
        context.CallIfuncResolver = null;
        ElfError error = RelocationApplier.ApplyAll(again.Dynamic, again.Symbols, context);
        Assert.Equal(ElfStatus.IfuncCallUnavailable, error.Status);
        Assert.Equal((uint)X64RelocationType.IRelative, rela[error.Index].Type);
    }

    [Fact]
    public void MissingSymbolIsNamedWithVersionAndObject()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        using var loaded = new LoadedElf(file);
        var scope = new FakeScope();
        scope.Missing.Add("lib_versioned");
        ElfError error = Relocate(loaded, scope, "app-pie", FakeBase);
        Assert.Equal(ElfStatus.UndefinedSymbol, error.Status);
        Assert.Equal("lib_versioned", ParsedElf.Text(error.SymbolName));
        Assert.Equal("OSV_2.0", ParsedElf.Text(error.SymbolVersion));
        Assert.Equal("app-pie", ParsedElf.Text(error.ObjectName));
        ReadelfRelocation relocation = Readelf.Relocations(file.Path).Rela[error.Index];
        Assert.Equal(relocation.Offset, error.Offset);
        Assert.Equal("lib_versioned", Readelf.DynamicSymbols(file.Path)[(int)relocation.SymbolIndex].Name);
    }

    [Fact]
    public void UnknownRelocationTypeIsReportedWithItsIndex()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        using var loaded = new LoadedElf(file);
        int victim = Readelf.Relocations(file.Path).Rela.FindIndex(r => r.Type == (uint)X64RelocationType.GlobalData);
        byte* info = loaded.Memory + (loaded.Dynamic.Rela - file.Image.LoadStart) + (ulong)victim * 24 + 8;
        *(uint*)info = 42;
        ElfError error = Relocate(loaded, new FakeScope(), "app-pie", FakeBase);
        Assert.Equal((ElfStatus.UnknownRelocationType, victim, 42UL), (error.Status, error.Index, error.Value));
    }

    [Fact]
    public void CopyRelocationsCopyTheDefinitionIntoTheExecutable()
    {
        var file = new ParsedElf(_objects[GccElfObjects.FixedAddress]);
        var symbols = Readelf.DynamicSymbols(file.Path);
        var copies = Readelf.Relocations(file.Path).Rela.Where(r => r.Type == (uint)X64RelocationType.Copy).ToList();
        Assert.Contains(copies, r => symbols[(int)r.SymbolIndex].Name == "lib_data");
        byte[] definitions = GC.AllocateArray<byte>(4096, pinned: true);
        for (int i = 0; i < definitions.Length; i++)
            definitions[i] = (byte)(i * 37 + 1);
        fixed (byte* pool = definitions)
        {
            var scope = new FakeScope();
            for (int i = 0; i < copies.Count; i++)
                scope.Data[symbols[(int)copies[i].SymbolIndex].Name] = ((ulong)(pool + i * 64), symbols[(int)copies[i].SymbolIndex].Size);
            using (var loaded = new LoadedElf(file))
            {
                ParsedElf.AssertOk(Relocate(loaded, scope, "app-exec", 0));
                for (int i = 0; i < copies.Count; i++)
                {
                    int size = (int)symbols[(int)copies[i].SymbolIndex].Size;
                    Assert.True(new ReadOnlySpan<byte>(loaded.Memory + (copies[i].Offset - file.Image.LoadStart), size)
                        .SequenceEqual(definitions.AsSpan(i * 64, size)));
                }
                Assert.Contains(scope.Requests, r => r.Name == "lib_data" && r.Type == X64RelocationType.Copy);
            }

            using var again = new LoadedElf(file);
            scope.Data["lib_data"] = (scope.Data["lib_data"].Address, 8);
            ElfError error = Relocate(again, scope, "app-exec", 0);
            Assert.Equal(ElfStatus.BadCopyRelocation, error.Status);
            Assert.Equal("lib_data", ParsedElf.Text(error.SymbolName));
        }
    }

    [Fact]
    public void ReadOnlyViewsTakeNoStores()
    {
        var file = new ParsedElf(_objects[GccElfObjects.Pie]);
        var context = new RelocationContext { Image = file.View, LoadBias = FakeBase };
        ElfError error = RelocationApplier.ApplyAll(file.Dynamic, file.Symbols, context);
        Assert.Equal(ElfStatus.RelocationTargetUnmapped, error.Status);
        Assert.Equal(Readelf.Relocations(file.Path).Rela[0].Offset, error.Offset);
    }

    [Fact]
    public void PcRelative32ChecksItsRange()
    {
        var context = new RelocationContext { LoadBias = 0x1000 };
        DynamicSymbols none = default;
        var near = new RelaEntry { Offset = 0x10, Type = (uint)X64RelocationType.PcRelative32, Addend = 0x2000 };
        ParsedElf.AssertOk(RelocationPlanner.Plan(near, 0, none, context, out PlannedStore store));
        Assert.Equal((4, 0x2000UL - 0x1010UL), (store.Width, store.Value));
        var below = near with { Addend = 0 };
        ParsedElf.AssertOk(RelocationPlanner.Plan(below, 0, none, context, out store));
        Assert.Equal(unchecked((uint)-0x1010), (uint)store.Value);
        var far = near with { Addend = 0x1_0000_0000 };
        ElfError error = RelocationPlanner.Plan(far, 3, none, context, out _);
        Assert.Equal((ElfStatus.RelocationOverflow, 3), (error.Status, error.Index));
        var badIndex = near with { Type = (uint)X64RelocationType.GlobalData, SymbolIndex = 5 };
        Assert.Equal(ElfStatus.SymbolIndexOutOfRange, RelocationPlanner.Plan(badIndex, 0, none, context, out _).Status);
        var nothing = near with { Type = (uint)X64RelocationType.None };
        ParsedElf.AssertOk(RelocationPlanner.Plan(nothing, 0, none, context, out store));
        Assert.Equal(0, store.Width);
    }

    private static ulong FileOffset(ParsedElf file, ulong address)
    {
        Assert.True(file.Image.TryTranslate(address, 8, out ulong offset));
        return offset;
    }
}
