using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace Osv.Analyzers.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task TheTestingFrameworkCompilesCode()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<EmptyDiagnosticAnalyzer, DefaultVerifier>
        {
            TestCode = "class C { void M() { System.Console.WriteLine(1); } }",
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        foreach (string path in tpa.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.") || Path.GetFileName(p) == "netstandard.dll"))
            test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(path));
        await test.RunAsync();
    }
}
