using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Osv.Analyzers.Tests;

/// <summary>
/// Runs an analyzer over test code the way the kernel build sees it: unsafe code allowed, the
/// Osv.Annotations vocabulary referenced as metadata (the host flavor of Osv.Runtime), the running
/// runtime's reference set (no package download at test time), and optional additional files
/// (exported_symbols/*.symbols) and extra projects (cross-assembly metadata).
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Error);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
        => CreateTest(source, expected).RunAsync(CancellationToken.None);

    public static CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> CreateTest(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
        });
        AddReferences(test.TestState.AdditionalReferences);
        test.ExpectedDiagnostics.AddRange(expected);
        return test;
    }

    /// <summary>The runtime's own assemblies plus Osv.Annotations, as metadata references.</summary>
    public static void AddReferences(MetadataReferenceCollection references) => references.AddRange(s_references.Value);

    // Created once: a MetadataReference reused across tests lets Roslyn share the loaded metadata.
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        var list = new System.Collections.Generic.List<MetadataReference>();
        string trustedAssemblies = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        foreach (string path in trustedAssemblies.Split(Path.PathSeparator))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name == "netstandard.dll" || name == "mscorlib.dll")
                list.Add(MetadataReference.CreateFromFile(path));
        }
        list.Add(MetadataReference.CreateFromFile(typeof(Osv.Annotations.Stack).Assembly.Location));
        return list.ToArray();
    });
}
