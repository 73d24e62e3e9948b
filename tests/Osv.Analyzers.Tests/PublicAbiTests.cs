using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Osv.Analyzers.Rules;
using Xunit;
using Verify = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.PublicAbiAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>Rule 4 in every compilation: OSV4001, OSV4002, OSV4005, and OSV4004 within one assembly.</summary>
public sealed class PublicAbiTests
{
    private const string Libc = "/0/exported_symbols/libc.so.6.symbols";

    private static Task RunAsync(string source, (string Path, string Text)[] lists, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(source, expected);
        foreach ((string path, string text) in lists)
            test.TestState.AdditionalFiles.Add((path, text));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task InternalEntryPointIsClean() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Boot
        {
            [UnmanagedCallersOnly(EntryPoint = "osv_kernel_main")]
            [InternalEntryPoint("Boot/boot.asm")]
            private static void Main(uint startInfo) { }
        }
        """, []);

    [Fact]
    public Task ListedPublicEntryPointIsClean() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Process
        {
            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getpid")]
            public static int GetPid() => 2;

            [UnmanagedCallersOnly(EntryPoint = "getppid"), OsvApi("libc.so.6")] public static int GetParentPid() => 1;
        }
        """, [(Libc, "# libc.so.6: the process calls\n\n  getpid   # trailing comment\ngetppid\n")]);

    [Fact]
    public Task EntryPointWithoutAnnotationIsReportedAtTheMethod() => RunAsync("""
        using System.Runtime.InteropServices;
        static class Traps
        {
            [UnmanagedCallersOnly(EntryPoint = "osv_trap_dispatch")]
            private static void {|OSV4001:Dispatch|}(nint frame) { }

            [UnmanagedCallersOnly]
            private static void NotExportedByName() { }

            private static void Plain() { }
        }
        """, []);

    [Fact]
    public Task StaticLocalFunctionsExportToo() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static unsafe class Signals
        {
            static nint Handlers()
            {
                return (nint)(delegate* unmanaged<int, void>)&OnSignal + (nint)(delegate* unmanaged<void>)&Return;

                [UnmanagedCallersOnly(EntryPoint = "osv_on_signal")]
                static void {|OSV4001:OnSignal|}(int signal) { }

                [UnmanagedCallersOnly(EntryPoint = "osv_sigreturn"), InternalEntryPoint("Boot/signal.asm")]
                static void Return() { }
            }
        }
        """, []);

    [Fact]
    public Task EntryPointNameFromAConstant() => RunAsync("""
        using System.Runtime.InteropServices;
        static class Names { public const string Write = "write"; }
        static class Io
        {
            [UnmanagedCallersOnly(EntryPoint = Names.Write)]
            public static nint {|OSV4001:Write|}(int fd, nint buffer, nint count) => count;
        }
        """, []);

    [Fact]
    public Task UnlistedPublicEntryPointIsReported() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Process
        {
            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getpid")]
            public static int GetPid() => 2;

            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getuid")]
            public static int {|OSV4002:GetUid|}() => 0;

            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getgid")]
            public static int {|OSV4002:GetGid|}() => 0;
        }
        """, [(Libc, "getpid\n# getuid is commented out\ngetgid_\n")]);

    [Fact]
    public Task ListsOfOneLibraryAddUp() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Loader
        {
            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getpid")]
            public static int GetPid() => 2;

            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "__tls_get_addr")]
            public static nint TlsGetAddr(nint index) => index;
        }
        """, [(Libc, "getpid\n"), ("/0/exported_symbols/x64/libc.so.6.symbols", "__tls_get_addr\n")]);

    [Fact]
    public Task ListedInAnotherLibraryIsNotListed() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Math
        {
            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "sqrt")]
            public static double {|OSV4002:Sqrt|}(double x) => x;
        }
        """, [(Libc, "getpid\n"), ("/0/exported_symbols/libm.so.6.symbols", "sqrt\n")]);

    [Fact]
    public Task LibraryWithoutListIsReported() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Dl
        {
            [OsvApi("libdl.so.2")]
            [UnmanagedCallersOnly(EntryPoint = "dlopen")]
            public static nint {|OSV4005:Open|}(nint name, int flags) => 0;
        }
        """, [(Libc, "dlopen\n"), ("/0/exported_symbols/README.md", "libdl.so.2\n")]);

    [Fact]
    public Task NoListsAtAllMeansEveryLibraryIsUnknown() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Process
        {
            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getpid")]
            public static int {|OSV4005:GetPid|}() => 2;
        }
        """, []);

    [Fact]
    public Task SymbolImplementedTwiceInOneAssemblyIsReportedAtTheSecond() => RunAsync("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class A
        {
            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getpid")]
            public static int GetPid() => 2;
        }
        static class B
        {
            [InternalEntryPoint("nobody")]
            [UnmanagedCallersOnly(EntryPoint = "getpid")]
            public static int {|OSV4004:GetPidAgain|}() => 3;
        }
        """, [(Libc, "getpid\n")]);

    [Fact]
    public void EveryDiagnosticIsAnError()
    {
        foreach (var descriptor in new PublicAbiAnalyzer().SupportedDiagnostics)
            Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, descriptor.DefaultSeverity);
    }
}
