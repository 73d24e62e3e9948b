using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Osv.Core.Diagnostics;
using Xunit;

namespace Osv.Core.Tests.Diagnostics;

/// <summary>
/// CallFrameUnwinder against .eh_frame sections gcc and binutils produced, with readelf as the oracle.
/// The section is copied to native memory that ends at an inaccessible page. Where the FDE addresses
/// are pc-relative (the "gas" variant) they then decode to the original pcs plus (copy address - section
/// address), the "delta" every pc and return address below is shifted by; absolute ones (the "gcc"
/// variant: udata4 in a non-PIE link) stay put, delta 0.
/// </summary>
public sealed unsafe class CallFrameUnwinderGccTests : IClassFixture<GccCfiFixture>
{
    private readonly GccCfiFixture _gcc;

    public CallFrameUnwinderGccTests(GccCfiFixture gcc) => _gcc = gcc;

    public static TheoryData<string> Variants => new() { "gas", "gcc" };

    private sealed class Loaded : IDisposable
    {
        public Loaded(CfiProgram program, int length)
        {
            Memory = GuardedMemory.EndingWith(program.EhFrame.AsSpan(0, length));
            Delta = program.PcRelative ? (ulong)Memory.Data - program.EhFrameAddress : 0;
            Unwinder = new CallFrameUnwinder(Memory.Data, (nuint)length, StackImage.IsReadable);
        }

        public GuardedMemory Memory { get; }
        public ulong Delta { get; }
        public CallFrameUnwinder Unwinder { get; }
        public void Dispose() => Memory.Dispose();
    }

    private static Loaded Load(CfiProgram program) => new(program, program.EhFrame.Length);

    [Theory]
    [MemberData(nameof(Variants))]
    public void ToolchainProducedWhatTheTestsNeed(string variant)
    {
        CfiProgram program = _gcc[variant];
        var rules = program.Fdes.SelectMany(f => f.Rows.Select(r => r.Rule)).ToList();
        Assert.Contains(rules, r => r.Register == CfaRule.Rbp);                 // framed
        Assert.Contains(rules, r => r.Offset > 4096);                            // bigframe
        Assert.Contains(rules, r => r.RbpOffset != null && r.Register == CfaRule.Rsp); // saver
        Assert.Contains("DW_CFA_remember_state", program.EhFrameDump);            // twoexits
        Assert.Contains(variant == "gcc" ? "DW_CFA_advance_loc4" : "DW_CFA_advance_loc2", program.EhFrameDump);
        // Between them the variants cover both CIE versions and both address encodings.
        Assert.Contains(variant == "gcc" ? "Version:               3" : "Version:               1", program.EhFrameDump);
        Assert.Equal(variant == "gas", program.PcRelative);
        Assert.Empty(program.Fdes.Single(f => f.PcBegin == program.Function("leaf").Address).Rows.Skip(1));
        // The two oracles agree on where functions are.
        Assert.Equal(
            program.Functions.Where(f => f.Size > 0).Select(f => (f.Address, f.End)).OrderBy(r => r.Address),
            program.Fdes.Select(f => (f.PcBegin, f.PcEnd)).OrderBy(r => r.PcBegin));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryRowMatchesReadelf(string variant)
    {
        CfiProgram program = _gcc[variant];
        using Loaded loaded = Load(program);
        using var stack = new StackImage();
        int checkedRows = 0;
        foreach (FdeTable fde in program.Fdes)
        {
            foreach ((ulong first, ulong last, CfaRule rule) in fde.Ranges())
            {
                UnwindAssert.StepFollows(loaded.Unwinder, stack, first, loaded.Delta, rule, $"{variant} {first:x}");
                if (last != first)
                    UnwindAssert.StepFollows(loaded.Unwinder, stack, last, loaded.Delta, rule, $"{variant} {last:x}");
                checkedRows++;
            }
        }
        Assert.True(checkedRows >= 30, $"only {checkedRows} rows");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryInstructionAddressMatchesReadelf(string variant)
    {
        CfiProgram program = _gcc[variant];
        using Loaded loaded = Load(program);
        using var stack = new StackImage();
        foreach (string name in new[] { "framed", "saver", "bigframe", "twoexits" })
        {
            FunctionSymbol function = program.Function(name);
            for (ulong pc = function.Address; pc < function.End; pc++)
                UnwindAssert.StepFollows(loaded.Unwinder, stack, pc, loaded.Delta, program.RuleAt(pc), $"{variant} {name}+{pc - function.Address:x}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void CoversExactlyTheFunctions(string variant)
    {
        CfiProgram program = _gcc[variant];
        using Loaded loaded = Load(program);
        ulong low = program.Functions.Min(f => f.Address) - 64;
        ulong high = program.Functions.Max(f => f.End) + 64;
        for (ulong pc = low; pc < high; pc++)
        {
            bool inside = program.Functions.Any(f => pc >= f.Address && pc < f.End);
            Assert.True(inside == loaded.Unwinder.Covers(pc + loaded.Delta), $"{variant}: Covers({pc:x}) should be {inside}");
        }
        Assert.False(loaded.Unwinder.Covers(0));
        Assert.False(loaded.Unwinder.Covers(ulong.MaxValue));
        if (program.PcRelative)
            Assert.False(loaded.Unwinder.Covers(program.Function("leaf").Address)); // untranslated: not where the table says
    }

    /// <summary>An rbp value that is not an address.</summary>
    private static ulong Marker(int frame) => 0x0B0B_0000_0000_0000UL + (uint)frame;

    /// <summary>
    /// Lays out a real call chain on the synthetic stack as the rules of each frame say it must look,
    /// then walks it. Frames: innermost first; every frame after the first is entered by its return address.
    /// </summary>
    private static void WalkChain(CfiProgram program, Loaded loaded, StackImage stack, IReadOnlyList<ulong> pcs, string context)
    {
        int n = pcs.Count;
        var rules = new CfaRule[n];
        var cfas = new ulong[n];
        var rbps = new ulong[n + 1];
        var forcedRbp = new ulong?[n];
        ulong rsp = stack.Base + 0x1000;
        ulong initialRsp = rsp;
        for (int i = 0; i < n; i++)
        {
            rules[i] = program.RuleAt(i == 0 ? pcs[i] : pcs[i] - 1);
            if (rules[i].Register == CfaRule.Rsp)
            {
                cfas[i] = rsp + (ulong)rules[i].Offset;
            }
            else
            {
                cfas[i] = rsp + 0x100 + (ulong)rules[i].Offset; // locals between rsp and rbp
                forcedRbp[i] = cfas[i] - (ulong)rules[i].Offset;
            }
            rsp = cfas[i];
        }
        // rbp in frame i: forced by an rbp-based CFA, else whatever the callee found (and saved, or kept).
        rbps[n] = Marker(n);
        rbps[n - 1] = forcedRbp[n - 1] ?? Marker(n - 1);
        for (int i = n - 2; i >= 0; i--)
        {
            if (forcedRbp[i] is ulong forced)
            {
                rbps[i] = forced;
                Assert.True(rules[i].RbpOffset != null || rbps[i + 1] == forced, $"{context}: inconsistent chain");
            }
            else
            {
                rbps[i] = rules[i].RbpOffset != null ? Marker(i) : rbps[i + 1];
            }
        }
        var written = new HashSet<ulong>();
        for (int i = 0; i < n; i++)
        {
            ulong raSlot = (ulong)((long)cfas[i] + rules[i].ReturnAddressOffset);
            Assert.True(written.Add(raSlot), $"{context}: slot {raSlot:x} used twice");
            stack.Write(raSlot, i + 1 < n ? pcs[i + 1] + loaded.Delta : 0);
            if (rules[i].RbpOffset is long rbpOffset)
            {
                ulong rbpSlot = (ulong)((long)cfas[i] + rbpOffset);
                Assert.True(written.Add(rbpSlot), $"{context}: slot {rbpSlot:x} used twice");
                stack.Write(rbpSlot, rbps[i + 1]);
            }
        }

        var registers = new UnwindRegisters { Rip = pcs[0] + loaded.Delta, Rsp = initialRsp, Rbp = rbps[0] };
        for (int i = 0; i < n; i++)
        {
            bool stepped = loaded.Unwinder.TryStep(ref registers, isCallSite: i > 0);
            if (i == n - 1)
            {
                // The outermost frame returns to 0: the end of the walk.
                Assert.False(stepped, $"{context}: walked past the outermost frame");
                break;
            }
            Assert.True(stepped, $"{context}: step {i} failed");
            Assert.True(pcs[i + 1] + loaded.Delta == registers.Rip, $"{context}: step {i} rip {registers.Rip - loaded.Delta:x}, expected {pcs[i + 1]:x}");
            Assert.True(cfas[i] == registers.Rsp, $"{context}: step {i} rsp {registers.Rsp:x}, expected {cfas[i]:x}");
            Assert.True(rbps[i + 1] == registers.Rbp, $"{context}: step {i} rbp {registers.Rbp:x}, expected {rbps[i + 1]:x}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void WalksEveryCallChainThroughStart(string variant)
    {
        CfiProgram program = _gcc[variant];
        using Loaded loaded = Load(program);
        int chains = 0;
        foreach (CallSite fromStart in program.CallSites.Where(c => c.Caller == "_start"))
        {
            foreach (CallSite inner in program.CallSites.Where(c => c.Caller == fromStart.Callee))
            {
                FunctionSymbol callee = program.Function(inner.Callee);
                // Stopped anywhere in the innermost function (leaf, sink: no frame of their own).
                for (ulong pc = callee.Address; pc < callee.End; pc++)
                {
                    using var stack = new StackImage();
                    WalkChain(program, loaded, stack, new[] { pc, inner.ReturnAddress, fromStart.ReturnAddress },
                        $"{variant} {inner.Callee}+{pc - callee.Address:x} <- {inner.Caller} <- _start");
                    chains++;
                }
            }
        }
        Assert.True(chains > 50, $"only {chains} chains");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void WalksFromEveryRowOfTheMiddleFunctions(string variant)
    {
        CfiProgram program = _gcc[variant];
        using Loaded loaded = Load(program);
        foreach (CallSite fromStart in program.CallSites.Where(c => c.Caller == "_start"))
        {
            FdeTable fde = program.FdeFor(program.Function(fromStart.Callee).Address);
            foreach ((ulong first, ulong last, CfaRule _) in fde.Ranges())
            {
                foreach (ulong pc in new[] { first, last })
                {
                    using var stack = new StackImage();
                    WalkChain(program, loaded, stack, new[] { pc, fromStart.ReturnAddress }, $"{variant} {fromStart.Callee} at {pc:x} <- _start");
                }
            }
        }
    }

    [Fact]
    public void ReturnAddressOutsideTheReadableStackFails()
    {
        CfiProgram program = _gcc["gas"];
        using Loaded loaded = Load(program);
        using var stack = new StackImage();
        ulong allowedStart = stack.Base + 0x1000, allowedEnd = stack.Base + 0x2000;
        stack.Allow(allowedStart, allowedEnd);
        ulong leaf = program.Function("leaf").Address + loaded.Delta; // CFA = rsp + 8, return address at rsp
        foreach (ulong rsp in new[] { allowedEnd - 4, allowedEnd, allowedStart - 8, allowedStart - 1, 0x10UL, ulong.MaxValue - 3 })
        {
            var registers = new UnwindRegisters { Rip = leaf, Rsp = rsp, Rbp = allowedStart + 0x100 };
            StackImage.ReadChecks = 0;
            Assert.False(loaded.Unwinder.TryStep(ref registers, isCallSite: false), $"rsp {rsp:x}");
            Assert.True(StackImage.ReadChecks > 0, "the unwinder did not ask before reading");
        }
        // and the boundary case that is readable works:
        var ok = new UnwindRegisters { Rip = leaf, Rsp = allowedEnd - 8, Rbp = 1 };
        Assert.True(loaded.Unwinder.TryStep(ref ok, isCallSite: false));
        Assert.Equal(stack.PatternAt(allowedEnd - 8), ok.Rip);
    }

    [Fact]
    public void SavedRbpOutsideTheReadableStackFails()
    {
        CfiProgram program = _gcc["gas"];
        using Loaded loaded = Load(program);
        using var stack = new StackImage();
        // framed at its call of sink: CFA = rbp + 16, return address at CFA - 8, rbp at CFA - 16.
        CallSite call = program.CallSites.First(c => c.Caller == "framed");
        CfaRule rule = program.RuleAt(call.ReturnAddress - 1);
        Assert.Equal(new CfaRule(CfaRule.Rbp, 16, -16, -8), rule);
        ulong rbp = stack.Base + 0x2000;
        stack.Allow(rbp + 8, rbp + 0x100); // the return address is readable, the saved rbp just below is not
        var registers = new UnwindRegisters { Rip = call.ReturnAddress + loaded.Delta, Rsp = rbp - 0x40, Rbp = rbp };
        Assert.False(loaded.Unwinder.TryStep(ref registers, isCallSite: true));

        stack.Allow(rbp, rbp + 0x100);
        registers = new UnwindRegisters { Rip = call.ReturnAddress + loaded.Delta, Rsp = rbp - 0x40, Rbp = rbp };
        Assert.True(loaded.Unwinder.TryStep(ref registers, isCallSite: true));
        Assert.Equal(stack.PatternAt(rbp), registers.Rbp);
        Assert.Equal(stack.PatternAt(rbp + 8), registers.Rip);
    }

    [Fact]
    public void ZeroCfaBaseFails()
    {
        CfiProgram program = _gcc["gas"];
        using Loaded loaded = Load(program);
        using var stack = new StackImage();
        var registers = new UnwindRegisters { Rip = program.Function("leaf").Address + loaded.Delta, Rsp = 0, Rbp = stack.Base + 0x100 };
        Assert.False(loaded.Unwinder.TryStep(ref registers, isCallSite: false));
        CallSite framed = program.CallSites.First(c => c.Caller == "framed");
        registers = new UnwindRegisters { Rip = framed.ReturnAddress + loaded.Delta, Rsp = stack.Base + 0x100, Rbp = 0 };
        Assert.False(loaded.Unwinder.TryStep(ref registers, isCallSite: true));
    }

    [Fact]
    public void PcOutsideEveryFunctionCannotBeStepped()
    {
        CfiProgram program = _gcc["gas"];
        using Loaded loaded = Load(program);
        using var stack = new StackImage();
        FunctionSymbol last = program.Functions.MaxBy(f => f.End);
        foreach (ulong pc in new[] { program.Functions.Min(f => f.Address) - 1, last.End, last.End + 0x1000 })
        {
            var registers = new UnwindRegisters { Rip = pc + loaded.Delta, Rsp = stack.Base + 0x100, Rbp = stack.Base + 0x200 };
            Assert.False(loaded.Unwinder.TryStep(ref registers, isCallSite: false), $"{pc:x}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void TruncatedSectionCoversOnlyCompleteRecords(string variant)
    {
        CfiProgram program = _gcc[variant];
        using var stack = new StackImage();
        for (int length = 0; length <= program.EhFrame.Length; length++)
        {
            using var loaded = new Loaded(program, length); // ends at an inaccessible page
            foreach (FdeTable fde in program.Fdes)
            {
                bool complete = fde.RecordEnd <= length;
                ulong pc = fde.PcBegin + loaded.Delta;
                Assert.True(complete == loaded.Unwinder.Covers(pc), $"{variant}: length {length}, FDE at {fde.Offset:x}");
                var registers = new UnwindRegisters { Rip = pc, Rsp = stack.Base + 0x100, Rbp = stack.Base + 0x200 };
                Assert.Equal(complete, loaded.Unwinder.TryStep(ref registers, isCallSite: false));
            }
        }
    }

    [Fact]
    public void EmptyOrNullSectionCoversNothing()
    {
        using var stack = new StackImage();
        var empty = new CallFrameUnwinder(null, 0, StackImage.IsReadable);
        Assert.False(empty.Covers(0x401000));
        var registers = new UnwindRegisters { Rip = 0x401000, Rsp = stack.Base + 0x100, Rbp = stack.Base + 0x200 };
        Assert.False(empty.TryStep(ref registers, isCallSite: false));
    }

    /// <summary>
    /// Mutated copies of a real section (a few random bytes changed, sometimes cut short). Whatever the
    /// tables say, TryStep may only return values it read through isReadable: the stack image is readable
    /// only in its middle, so a value from anywhere else in it (or a wild read) is caught.
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void MutatedSectionsNeverBypassTheReadCheck(string variant)
    {
        CfiProgram program = _gcc[variant];
        byte[] original = program.EhFrame;
        const int Padding = 64 * 1024; // zeros after the section: over-reads of corrupt tables stay in owned memory
        byte* buffer = (byte*)NativeMemory.AllocZeroed((nuint)(original.Length + Padding));
        using var stack = new StackImage();
        ulong allowedStart = stack.Base + 0x4000, allowedEnd = stack.End - 0x4000;
        var pcs = program.Functions.SelectMany(f => new[] { f.Address, f.Address + f.Size / 2, f.End - 1 }).ToArray();
        var random = new Random(variant == "gas" ? 11 : 12);
        try
        {
            for (int round = 0; round < 3000; round++)
            {
                byte[] mutated = (byte[])original.Clone();
                int changes = random.Next(1, 4);
                for (int i = 0; i < changes; i++)
                    mutated[random.Next(mutated.Length)] = (byte)(random.Next(3) == 0 ? random.Next(256) : mutated[random.Next(mutated.Length)] ^ (1 << random.Next(8)));
                int length = random.Next(8) == 0 ? random.Next(mutated.Length) : mutated.Length;
                new Span<byte>(buffer, original.Length + Padding).Clear();
                mutated.AsSpan(0, length).CopyTo(new Span<byte>(buffer, length));
                ulong delta = program.PcRelative ? (ulong)buffer - program.EhFrameAddress : 0;
                var unwinder = new CallFrameUnwinder(buffer, (nuint)length, StackImage.IsReadable);
                stack.Allow(allowedStart, allowedEnd);
                foreach (ulong pc in pcs)
                {
                    bool covered = unwinder.Covers(pc + delta);
                    ulong rbp = stack.Base + 0x8000;
                    var registers = new UnwindRegisters { Rip = pc + delta, Rsp = stack.Base + 0x6000, Rbp = rbp };
                    StackImage.ClearApprovals();
                    bool stepped = unwinder.TryStep(ref registers, isCallSite: false);
                    if (!stepped)
                        continue;
                    Assert.True(covered, $"round {round}: stepped at {pc:x} without covering it");
                    Assert.True(StackImage.WasReadThroughTheCheck(registers.Rip), $"round {round}: rip {registers.Rip:x} not read through the check");
                    Assert.True(registers.Rbp == rbp || StackImage.WasReadThroughTheCheck(registers.Rbp), $"round {round}: rbp {registers.Rbp:x} not read through the check");
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    [Fact]
    public void RandomBytesAreNotACallFrameTable()
    {
        var random = new Random(5);
        using var stack = new StackImage();
        byte* buffer = (byte*)NativeMemory.AllocZeroed(4096 + 64 * 1024);
        try
        {
            for (int round = 0; round < 500; round++)
            {
                int length = random.Next(4096);
                new Span<byte>(buffer, 4096).Clear();
                random.NextBytes(new Span<byte>(buffer, length));
                var unwinder = new CallFrameUnwinder(buffer, (nuint)length, StackImage.IsReadable);
                for (int probe = 0; probe < 8; probe++)
                {
                    ulong pc = (ulong)random.NextInt64();
                    unwinder.Covers(pc);
                    var registers = new UnwindRegisters { Rip = pc, Rsp = stack.Base + 0x6000, Rbp = stack.Base + 0x8000 };
                    StackImage.ClearApprovals();
                    if (unwinder.TryStep(ref registers, isCallSite: false))
                        Assert.True(StackImage.WasReadThroughTheCheck(registers.Rip));
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }
}
