using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.PublicAbiAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>
/// Rule 4 where the image is composed (build_property.OsvImageComposition = true): OSV4003 for a
/// listed symbol nothing implements, OSV4004 for a symbol implemented in two assemblies.
/// </summary>
public sealed class PublicAbiCompositionTests
{
    private const string Libc = "/0/exported_symbols/libc.so.6.symbols";
    private const string Composition = "build_property.OsvImageComposition = true";

    /// <summary>A kernel library whose entry points are private, as in the kernel.</summary>
    private const string Core = """
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        namespace Osv.Core
        {
            public static class Process
            {
                [OsvApi("libc.so.6")]
                [UnmanagedCallersOnly(EntryPoint = "getpid")]
                private static int GetPid() => 2;

                [InternalEntryPoint("Boot/traps.asm")]
                [UnmanagedCallersOnly(EntryPoint = "osv_trap_dispatch")]
                private static void Dispatch(nint frame) { }

                public static int Count => 1;
            }
        }
        """;

    private const string Kernel = """
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class KernelMain
        {
            [InternalEntryPoint("Boot/boot.asm")]
            [UnmanagedCallersOnly(EntryPoint = "osv_kernel_main")]
            private static void Main(uint startInfo) { _ = Osv.Core.Process.Count; }
        }
        """;

    private static Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<Rules.PublicAbiAnalyzer, DefaultVerifier> Image(
        string kernel, string symbols, bool composing, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(kernel, expected);
        test.NameAssembly("Osv.Kernel");
        test.AddAssembly("Osv.Core", Core);
        test.TestState.AdditionalFiles.Add((Libc, symbols));
        test.TestState.AdditionalProjects["Osv.Core"].AdditionalFiles.Add((Libc, symbols));
        if (composing)
            test.GlobalConfig(Composition);
        return test;
    }

    [Fact]
    public Task ListedSymbolsImplementedAnywhereInTheImageAreClean()
        => Image(Kernel, "# libc.so.6\ngetpid\nosv_kernel_main\n", composing: true).RunAsync(CancellationToken.None);

    [Fact]
    public Task ListedSymbolWithoutImplementationIsReportedAtItsLine()
        => Image(Kernel, "getpid\n# comment\n  getppid  # not written yet\n", composing: true,
            Verify.Diagnostic("OSV4003").WithSpan(Libc, 3, 3, 3, 10).WithArguments("getppid", "libc.so.6"))
            .RunAsync(CancellationToken.None);

    [Fact]
    public Task WithoutCompositionListedSymbolsAreNotChecked()
        => Image(Kernel, "getpid\ngetppid\n", composing: false).RunAsync(CancellationToken.None);

    [Fact]
    public Task SymbolImplementedInAReferenceAndInTheKernelIsReportedAtTheKernelsMethod()
        => Image("""
            using System.Runtime.InteropServices;
            using Osv.Annotations;
            static class Again
            {
                [InternalEntryPoint("nobody")]
                [UnmanagedCallersOnly(EntryPoint = "osv_trap_dispatch")]
                private static void {|OSV4004:Dispatch|}(nint frame) { }
            }
            """, "getpid\n", composing: true).RunAsync(CancellationToken.None);

    [Fact]
    public Task SymbolImplementedInTwoReferencesIsReportedWithoutLocation()
    {
        var test = Image(Kernel, "getpid\n", composing: true,
            new DiagnosticResult("OSV4004", DiagnosticSeverity.Error)
                .WithArguments("getpid", "'Osv.Net.Sockets.GetPid()' (Osv.Net)", "'Osv.Core.Process.GetPid()' (Osv.Core)"));
        test.AddAssembly("Osv.Net", """
            using System.Runtime.InteropServices;
            using Osv.Annotations;
            namespace Osv.Net
            {
                public static class Sockets
                {
                    [OsvApi("libc.so.6")]
                    [UnmanagedCallersOnly(EntryPoint = "getpid")]
                    internal static int GetPid() => 3;
                }
            }
            """);
        test.TestState.AdditionalProjects["Osv.Net"].AdditionalFiles.Add((Libc, "getpid\n"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task WithoutCompositionTwoAssembliesAreNotCompared()
    {
        var test = Image("""
            using System.Runtime.InteropServices;
            using Osv.Annotations;
            static class Again
            {
                [InternalEntryPoint("nobody")]
                [UnmanagedCallersOnly(EntryPoint = "osv_trap_dispatch")]
                private static void Dispatch(nint frame) { }
            }
            """, "getpid\n", composing: false);
        return test.RunAsync(CancellationToken.None);
    }
}
