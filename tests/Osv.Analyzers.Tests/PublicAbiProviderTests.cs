using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.PublicAbiAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>
/// Export-list lines with a provider word (`strlen musl`, `osv_boot asm`): OSV4003 leaves them to
/// the build's link check; OSV4006 reports an unknown provider and a musl/asm symbol that C# implements too.
/// </summary>
public sealed class PublicAbiProviderTests
{
    private const string Libc = "/0/exported_symbols/libc.so.6.symbols";
    private const string LibmX64 = "/0/exported_symbols/x64/libm.so.6.symbols";
    private const string Composition = "build_property.OsvImageComposition = true";

    private const string Kernel = """
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        static class Process
        {
            [OsvApi("libc.so.6")]
            [UnmanagedCallersOnly(EntryPoint = "getpid")]
            private static int GetPid() => 2;
        }
        """;

    private static Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<Rules.PublicAbiAnalyzer, DefaultVerifier> Image(
        string symbols, bool composing = true, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(Kernel, expected);
        test.TestState.AdditionalFiles.Add((Libc, symbols));
        if (composing)
            test.GlobalConfig(Composition);
        return test;
    }

    [Fact]
    public Task SymbolsProvidedByMuslOrAssemblyNeedNoCSharpImplementation()
        => Image("getpid\nstrlen musl\nqsort\tmusl   # comment\nosv_memcpy_fast  asm\n").RunAsync(CancellationToken.None);

    [Fact]
    public Task AnArchitectureListAddsUpWithTheCommonOne()
    {
        var test = Image("getpid\n");
        test.TestState.AdditionalFiles.Add((LibmX64, "fesetround musl\nfegetround\n"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("OSV4003").WithSpan(LibmX64, 2, 1, 2, 11).WithArguments("fegetround", "libm.so.6"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task AnUnknownProviderIsReportedAtItsLine()
        => Image("getpid\nstrlen glibc\n", composing: true,
            Verify.Diagnostic("OSV4006").WithSpan(Libc, 2, 1, 2, 13)
                .WithArguments("strlen", "libc.so.6", "unknown provider 'glibc' (write 'musl' for libc.a, 'asm' for assembly, nothing for C#)"))
            .RunAsync(CancellationToken.None);

    [Fact]
    public Task AThirdWordMakesTheProviderUnknown()
        => Image("strlen musl extra\ngetpid\n", composing: true,
            Verify.Diagnostic("OSV4006").WithSpan(Libc, 1, 1, 1, 18)
                .WithArguments("strlen", "libc.so.6", "unknown provider 'musl extra' (write 'musl' for libc.a, 'asm' for assembly, nothing for C#)"))
            .RunAsync(CancellationToken.None);

    [Fact]
    public Task AMuslSymbolThatCSharpImplementsTooIsReported()
        => Image("getpid musl\n", composing: true,
            Verify.Diagnostic("OSV4006").WithSpan(Libc, 1, 1, 1, 12)
                .WithArguments("getpid", "libc.so.6", "listed as provided by musl, but 'Process.GetPid()' (TestProject) implements it in C#"))
            .RunAsync(CancellationToken.None);

    [Fact]
    public Task AnAnnotatedLineStillListsTheSymbolForOsvApi()
        => Image("getpid asm\n", composing: false).RunAsync(CancellationToken.None);

    [Fact]
    public Task WithoutCompositionProvidersAreNotChecked()
        => Image("strlen glibc\ngetpid\n", composing: false).RunAsync(CancellationToken.None);
}
