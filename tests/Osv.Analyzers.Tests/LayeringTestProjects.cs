using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Osv.Analyzers.Tests;

/// <summary>
/// Multi-assembly set-ups for the rule 4 and rule 5 tests: the test code's own assembly name, referenced
/// projects (compiled from source, seen as metadata of another assembly), and analyzer config keys.
/// </summary>
internal static class TestProjects
{
    /// <summary>The assembly name of the test code itself (e.g. "Osv.Core").</summary>
    public static void NameAssembly<TAnalyzer>(this CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> test, string assemblyName)
        where TAnalyzer : DiagnosticAnalyzer, new()
        => test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectAssemblyName(projectId, assemblyName));

    /// <summary>
    /// Adds the assembly <paramref name="assemblyName"/> built from <paramref name="source"/>, referencing
    /// <paramref name="references"/> (other added assemblies), and makes the test code reference it.
    /// </summary>
    public static void AddAssembly<TAnalyzer>(this CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> test, string assemblyName, string source, params string[] references)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        ProjectState project = test.TestState.AdditionalProjects[assemblyName];
        project.Sources.Add(source);
        AnalyzerVerifier<TAnalyzer>.AddReferences(project.AdditionalReferences);
        project.AdditionalProjectReferences.AddRange(references);
        if (!test.TestState.AdditionalProjectReferences.Contains(assemblyName))
            test.TestState.AdditionalProjectReferences.Add(assemblyName);
    }

    /// <summary>A global analyzer config for the test code, e.g. "build_property.OsvModule = true".</summary>
    public static void GlobalConfig<TAnalyzer>(this CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> test, params string[] lines)
        where TAnalyzer : DiagnosticAnalyzer, new()
        => test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Join("\n", lines) + "\n"));
}
