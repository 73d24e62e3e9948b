using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>Memory protection in the kernel's own page tables: guard pages, W^X; and `throw` as a panic.</summary>
public sealed class ProtectionTests
{
    private const string Hex16 = "0x([0-9a-f]{16})";
    private readonly ITestOutputHelper _output;

    public ProtectionTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task AStackOverflowHitsTheGuardPage()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=stack-overflow");

        Kernel.Line(result, $"^PANIC: page fault \\(#PF, vector 14\\) at rip {Hex16}$");
        Kernel.Line(result, "^stack overflow in thread 0: the fault address is in the guard page below its stack$");
        Kernel.Line(result, @"^\s+#0 0x[0-9a-f]{16} \S*DebugFaults__Recurse\+0x");
        Kernel.ExitedWith(result, 127);
    }

    [Fact]
    public async Task WritingToKernelCodeFaultsBecauseTextIsNotWritable()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=write-text");

        Match panic = Kernel.Line(result, $"^PANIC: page fault \\(#PF, vector 14\\) at rip {Hex16}$");
        // Error code 3: the page was present (bit 0) and the access a write (bit 1) — a protection fault.
        Match error = Kernel.Line(result, $"^error {Hex16}  cr2 {Hex16}$");
        Assert.Equal(3UL, ulong.Parse(error.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        ulong cr2 = ulong.Parse(error.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Kernel.Line(result, @"^\s+#0 0x[0-9a-f]{16} \S*DebugFaults__WriteToOwnCode\+0x");
        // The faulting address is the kernel's own code: the function wrote to its own first byte.
        ulong rip = ulong.Parse(panic.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(cr2, rip - 0x100, rip);
        Kernel.ExitedWith(result, 127);
    }

    [Fact]
    public async Task ExecutingKernelDataFaultsBecauseDataIsNoExecute()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=exec-data");

        Match panic = Kernel.Line(result, $"^PANIC: page fault \\(#PF, vector 14\\) at rip {Hex16}$");
        // Error code 0x11: the page was present (bit 0) and the access an instruction fetch (bit 4).
        Match error = Kernel.Line(result, $"^error {Hex16}  cr2 {Hex16}$");
        Assert.Equal(0x11UL, ulong.Parse(error.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(panic.Groups[1].Value, error.Groups[2].Value); // it faulted fetching the instruction at rip
        Kernel.Line(result, @"^\s+#1 0x[0-9a-f]{16} \S*DebugFaults__ExecuteData\+0x");
        Kernel.ExitedWith(result, 127);
    }

    [Fact]
    public async Task ThrowIsAPanicWithTheExceptionMessage()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=throw");

        Kernel.Line(result, "^PANIC: --debug-fault=throw: thrown on purpose$", out int panicAt);
        Kernel.Line(result, @"^\s+#\d+ 0x[0-9a-f]{16} \S*DebugFaults__ThrowOnPurpose\+0x", out int frameAt);
        Assert.True(frameAt > panicAt);
        Kernel.ExitedWith(result, 127);
    }

    [Fact]
    public async Task ALazyStackOverflowIsReportedForItsThread()
    {
        // A thread on a lazily mapped 64 KiB stack recurses forever: its pages appear on demand until
        // it reaches the guard page, which the panic reports for that thread.
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=lazy-stack-overflow");

        Kernel.Line(result, $"^PANIC: page fault \\(#PF, vector 14\\) at rip {Hex16}$");
        Kernel.Line(result, "^stack overflow in thread [1-9][0-9]*: the fault address is in the guard page below its stack$");
        Kernel.Line(result, @"^\s+#0 0x[0-9a-f]{16} \S*DebugFaults__Recurse\+0x");
        Kernel.ExitedWith(result, 127);
    }

    [Fact]
    public async Task TheTestImageCatchesADisableWithoutPrefaultAtRunTime()
    {
        // A thread on a fresh lazy stack disables interrupts without touching the next page first:
        // the test image's lazy-stack invariant check panics, naming the broken rule.
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=stack-rule", testImage: true);

        Kernel.Line(result, "lazy stack invariant: disabling with the next stack page unmapped");
        Kernel.Line(result, @"^\s+#[0-9]+ 0x[0-9a-f]{16} \S*DebugFaults__DisableWithoutPrefault\+0x");
        Kernel.ExitedWith(result, 127);
    }

    [Fact]
    public async Task TheDefaultImageHasNoRunTimeStackRuleCheck()
    {
        // The same violation in the default image goes unchecked (the analyzers guard the sources);
        // the kernel then reports that the fault did not happen.
        VmRunResult result = await Kernel.BootAsync(_output, "--debug-fault=stack-rule");

        Kernel.Line(result, "--debug-fault: the fault did not happen");
        Kernel.ExitedWith(result, 127);
    }
}
