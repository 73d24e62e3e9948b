using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Osv.Analyzers.Flow;

namespace Osv.Analyzers.Rules
{
    /// <summary>
    /// Rule 3: with preemption or interrupts disabled (on some path), nothing may sleep and nothing may
    /// allocate behind the reader's back (docs/analyzers/OSV3001.md, OSV3002.md).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AtomicContextAnalyzer : FlowRuleAnalyzer
    {
        private const string Category = "Osv.Context";

        internal static readonly DiagnosticDescriptor MaySleepInAtomicContext = new DiagnosticDescriptor(
            DiagnosticIds.MaySleepInAtomicContext,
            "[MaySleep] member called with preemption or interrupts disabled",
            "'{0}' may sleep or fault, but {1} may be disabled here",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Sleeping or taking a page fault with preemption or interrupts disabled deadlocks or panics the CPU. Call [MaySleep] members outside disabled regions.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.MaySleepInAtomicContext));

        internal static readonly DiagnosticDescriptor AllocationInAtomicContext = new DiagnosticDescriptor(
            DiagnosticIds.AllocationInAtomicContext,
            "Allocation with preemption or interrupts disabled",
            "This allocates ({0}), but {1} may be disabled here",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "The kernel heap may sleep or fault to grow. Allocations the compiler hides (boxing, closures, params arrays, string building, collection expressions) and `new` of reference types must stay out of disabled regions.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.AllocationInAtomicContext));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(MaySleepInAtomicContext, AllocationInAtomicContext);

        private protected override IFlowObserver CreateObserver(System.Action<Diagnostic> report) => new Observer(report);

        private sealed class Observer : IFlowObserver
        {
            private readonly DiagnosticSink _sink;
            private readonly List<IMethodSymbol> _targets = new List<IMethodSymbol>();

            public Observer(System.Action<Diagnostic> report) { _sink = new DiagnosticSink(report); }

            public void Visit(IOperation operation, FlowState before, FunctionInfo function, FlowSession session)
            {
                // "Maybe disabled" counts: some path reaches here with preemption or interrupts disabled.
                if (!before.MaybeDisabled)
                    return;
                string where = Disabled(before).Describe();

                CallTargets.Collect(operation, _targets);
                foreach (IMethodSymbol target in _targets)
                {
                    if (session.Marks.Of(target).Has(Marks.MaySleep))
                    {
                        _sink.Report(MaySleepInAtomicContext, operation.Syntax,
                            target.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), where);
                        break;
                    }
                }

                string? allocation = HiddenAllocations.Describe(operation, session);
                if (allocation != null && !IsOnAPanicPath(operation))
                    _sink.Report(AllocationInAtomicContext, operation.Syntax, allocation, where);
            }

            /// <summary>
            /// The exception of a `throw`, and the arguments of a [DoesNotReturn] call (a panic): the path
            /// ends there (in the kernel, `throw` panics), so what it allocates does not matter.
            /// </summary>
            private static bool IsOnAPanicPath(IOperation operation)
            {
                for (SyntaxNode? node = operation.Syntax; node != null; node = node.Parent)
                {
                    if (node is ThrowExpressionSyntax || node is ThrowStatementSyntax)
                        return true;
                    if (node is StatementSyntax || node is MemberDeclarationSyntax)
                        break;
                }
                for (IOperation? o = operation.Parent; o != null; o = o.Parent)
                {
                    if (o is IInvocationOperation call && DoesNotReturn(call.TargetMethod))
                        return true;
                }
                return false;
            }

            private static bool DoesNotReturn(IMethodSymbol method)
            {
                foreach (AttributeData attribute in method.GetAttributes())
                {
                    if (attribute.AttributeClass is { Name: "DoesNotReturnAttribute" })
                        return true;
                }
                return false;
            }

            private static RegionKind Disabled(FlowState state)
                => (state.MaybeDisabledKind(RegionKind.Preemption) ? RegionKind.Preemption : 0)
                   | (state.MaybeDisabledKind(RegionKind.Interrupts) ? RegionKind.Interrupts : 0);
        }
    }
}
