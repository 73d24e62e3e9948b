#pragma warning disable RS1038, RS1041, RS1036, RS2008
using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Analyzers.Tests;

public sealed class ScratchTests
{
    private readonly ITestOutputHelper _out;
    public ScratchTests(ITestOutputHelper o) { _out = o; }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class Dump : DiagnosticAnalyzer
    {
        public static Action<string>? Log;
        static readonly DiagnosticDescriptor D = new("X", "x", "x", "x", DiagnosticSeverity.Warning, true);
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(D);
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(s =>
            {
                Log?.Invoke("visible=" + s.Compilation.GetTypesByMetadataName("Osv.Annotations.DisablesPreemptionAttribute").Length);
                s.RegisterOperationBlockAction(b =>
                {
                    if (b.OwningSymbol.Name != "M") return;
                    foreach (var op in b.OperationBlocks)
                    {
                        Log?.Invoke($"{b.OwningSymbol}: {op.Kind} parent={op.Parent?.Kind}");
                        if (op.Kind is OperationKind.MethodBody or OperationKind.Block)
                        {
                            var g = b.GetControlFlowGraph(op);
                            foreach (var bl in g.Blocks)
                            {
                                Log?.Invoke($" B{bl.Ordinal} {bl.Kind} region={bl.EnclosingRegion.Kind} cond={bl.ConditionKind} ft={bl.FallThroughSuccessor?.Destination?.Ordinal}/{bl.FallThroughSuccessor?.Semantics} fin=[{string.Join(",", bl.FallThroughSuccessor?.FinallyRegions.Select(r => r.FirstBlockOrdinal) ?? Enumerable.Empty<int>())}] cs={bl.ConditionalSuccessor?.Destination?.Ordinal}");
                                foreach (var o in bl.Operations) Log?.Invoke("   " + Tree(o));
                                if (bl.BranchValue != null) Log?.Invoke("   BV " + Tree(bl.BranchValue));
                            }
                        }
                    }
                });
            });
        }
        static string Tree(IOperation o) => $"{o.Kind}{(o.IsImplicit ? "*" : "")}[{o.Syntax.ToString().Replace("\n", " ")}]" + (o.ChildOperations.Count > 0 ? "(" + string.Join(", ", o.ChildOperations.Select(Tree)) + ")" : "");
    }

    [Fact]
    public async System.Threading.Tasks.Task DumpCfg()
    {
        Dump.Log = s => _out.WriteLine(s);
        var src = System.IO.File.ReadAllText("/tmp/scratch/src.cs");
        await AnalyzerVerifier<Dump>.CreateTest(src + KernelPrelude.Source).RunAsync().ContinueWith(_ => { });
    }
}
