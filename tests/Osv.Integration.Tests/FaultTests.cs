using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Osv.Cli.Elf;
using Osv.Cli.Qemu;
using Osv.Cli.Symbols;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// CPU faults raised on purpose (--debug-fault=...) must end in a panic report: what faulted,
/// every register, a backtrace symbolized by the kernel itself, and kernel status 127. A triple
/// fault must come out as a reset without status, never as success.
/// </summary>
public sealed class FaultTests
{
    private const string Hex16 = "0x[0-9a-fA-F]{16}";
    private const string FramePattern = @"^\s+#(\d+) 0x([0-9a-fA-F]{16}) (\S+)\+0x([0-9a-fA-F]+)$";

    private static readonly string[] Registers =
    {
        "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip",
    };

    private static readonly string[] ControlRegisters = { "error", "cr2", "rflags", "cs", "ss", "cr0", "cr3", "cr4" };

    private static readonly Lazy<Elf64File> Image = new(() => Elf64File.Load(Kernel.Layout.Image));
    private static readonly Lazy<IReadOnlyList<KernelSymbol>> CodeSymbols = new(() => KernelSymbolSelector.Select(Image.Value));

    private readonly ITestOutputHelper _output;

    public FaultTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("page", "page fault (#PF, vector 14)")]
    [InlineData("ud", "invalid opcode (#UD, vector 6)")]
    [InlineData("gp", "general protection fault (#GP, vector 13)")]
    [InlineData("divide", "divide error (#DE, vector 0)")]
    public async Task AFaultPanicsWithRegistersAndASymbolizedBacktrace(string kind, string description)
    {
        VmRunResult result = await Kernel.BootAsync(_output, $"--debug-fault={kind}");

        Match panic = Kernel.Line(result, $@"^PANIC: {Regex.Escape(description)} at rip ({Hex16})$", out int panicAt);
        string console = string.Join('\n', result.Lines.Skip(panicAt));
        foreach (string register in Registers.Concat(ControlRegisters))
        {
            Assert.True(Regex.IsMatch(console, $@"(?<![0-9A-Za-z]){register}\s+{Hex16}(?![0-9A-Za-z])"),
                $"register {register} with a 16-digit hex value is missing from the panic report:\n{console}");
        }

        Kernel.Line(result, "^Backtrace:$", out int backtraceAt);
        Assert.True(backtraceAt > panicAt, "Backtrace: must follow the PANIC line");
        var frames = result.Lines.Skip(backtraceAt + 1)
            .Select(line => Regex.Match(line, FramePattern))
            .TakeWhile(match => match.Success)
            .Select(match => (
                Number: int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                Address: ulong.Parse(match.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                Symbol: match.Groups[3].Value,
                Offset: ulong.Parse(match.Groups[4].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToList();

        Assert.True(frames.Count >= 2, $"expected a backtrace of at least 2 frames:\n{console}");
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Number));
        Assert.Equal(panic.Groups[1].Value.ToLowerInvariant(), $"0x{frames[0].Address:x16}");
        Assert.Contains("DebugFault", frames[0].Symbol);
        Assert.Contains(frames.Skip(1), frame => frame.Symbol.Contains("KernelMain", StringComparison.Ordinal));
        foreach (var frame in frames)
            AssertSymbolizedCorrectly(frame.Address, frame.Symbol, frame.Offset, isReturnAddress: frame.Number > 0);

        Kernel.Line(result, "^Kernel panic: VM exits with status 127$");
        Kernel.ExitedWith(result, 127);
    }

    [Fact]
    public async Task ATripleFaultIsAResetWithoutStatusNotSuccess()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=triple");

        Assert.True(result.Outcome == VmOutcome.ResetWithoutStatus && result.Status == ExitStatusMapping.ResetWithoutStatus,
            $"expected a reset without exit status (254), got {result.Outcome} with status {result.Status}:\n{result.SerialOutput}");
    }

    // The kernel's own symbolization must agree with the image's ELF symbol table: the named
    // symbol plus the offset gives the address, and no other code symbol starts in between.
    // A return address may be looked up as address-1 (the call site), which matters when a call
    // is the last instruction of a function.
    private static void AssertSymbolizedCorrectly(ulong address, string symbol, ulong offset, bool isReturnAddress)
    {
        var candidates = Image.Value.Symbols.Where(s => s.Name == symbol).ToList();
        Assert.True(candidates.Count > 0, $"backtrace names '{symbol}', which is not in the image's symbol table");
        ElfSymbol? named = candidates.FirstOrDefault(s => s.Value + offset == address);
        Assert.True(named != null,
            $"backtrace says 0x{address:x16} is {symbol}+0x{offset:x}, but {symbol} is at " +
            string.Join(", ", candidates.Select(s => $"0x{s.Value:x16}")));

        ulong lookup = isReturnAddress && offset > 0 && NearestCodeSymbol(address).Address != named.Value ? address - 1 : address;
        KernelSymbol nearest = NearestCodeSymbol(lookup);
        Assert.True(nearest.Address == named.Value,
            $"backtrace names {symbol}+0x{offset:x} for 0x{address:x16}, but the nearest symbol below it is {nearest.Name}");
        if (named.Size != 0)
            Assert.True(lookup - named.Value < named.Size, $"0x{address:x16} lies past the end of {symbol} (size 0x{named.Size:x})");
    }

    private static KernelSymbol NearestCodeSymbol(ulong address) => CodeSymbols.Value.Last(s => s.Address <= address);
}
