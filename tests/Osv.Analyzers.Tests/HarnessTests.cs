using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace Osv.Analyzers.Tests;

/// <summary>The harness compiles kernel-like code (unsafe, annotations) without diagnostics.</summary>
public sealed class HarnessTests
{
    [Fact]
    public Task AnnotatedUnsafeCodeCompilesClean() => AnalyzerVerifier<EmptyDiagnosticAnalyzer>.VerifyAsync("""
        using Osv.Annotations;
        unsafe class C
        {
            [DisablesPreemption] static void Disable() { }
            static void M(byte* p) { Stack.PrefaultNextPage(); Disable(); *p = 1; }
        }
        """);
}
