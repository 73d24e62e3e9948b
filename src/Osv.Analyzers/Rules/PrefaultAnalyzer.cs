using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Osv.Analyzers.Flow;

namespace Osv.Analyzers.Rules
{
    /// <summary>
    /// Rule 1: before preemption or interrupts are disabled, the next stack page must be pre-faulted on
    /// every path (docs/analyzers/OSV1001.md, OSV1002.md, OSV1003.md).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PrefaultAnalyzer : FlowRuleAnalyzer
    {
        private const string Category = "Osv.Stack";

        internal static readonly DiagnosticDescriptor MissingPrefault = new DiagnosticDescriptor(
            DiagnosticIds.MissingPrefault,
            "Pre-fault the stack before disabling preemption or interrupts",
            "'{0}' disables {1}, but not every path to this call pre-faults the stack: call Stack.PrefaultNextPage() or Stack.PrefaultNextPageIfPreemptible() before it",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "A lazily mapped application stack can only grow through the page-fault handler, which needs preemption and interrupts enabled. Touch the next stack page on every path before a call that disables either, unless the code is [KernelThreadOnly], [PopulatedStack], or already runs with them disabled.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.MissingPrefault));

        internal static readonly DiagnosticDescriptor StackallocAfterPrefault = new DiagnosticDescriptor(
            DiagnosticIds.StackallocAfterPrefault,
            "No stackalloc between the stack pre-fault and disabling",
            "'{0}' disables {1}, but a stackalloc since the stack pre-fault moved the stack pointer: pre-fault again after the stackalloc",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "A pre-fault touches the page below the stack pointer at the time of the call. A stackalloc after it can move the stack pointer onto pages that were never touched.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.StackallocAfterPrefault));

        internal static readonly DiagnosticDescriptor DisablingMemberAsDelegate = new DiagnosticDescriptor(
            DiagnosticIds.DisablingMemberAsDelegate,
            "A member that disables preemption or interrupts is used as a delegate or function pointer",
            "'{0}' disables {1} and is used as a delegate, function pointer or method group here: the analyzer cannot check the stack pre-fault where it is called",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Calls through delegates and function pointers are not followed, so the pre-fault rule cannot be proven for them. Wrap the call in a method that pre-faults and disables, and pass that.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.DisablingMemberAsDelegate));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(MissingPrefault, StackallocAfterPrefault, DisablingMemberAsDelegate);

        private protected override IFlowObserver CreateObserver(System.Action<Diagnostic> report) => new Observer(report);

        private sealed class Observer : IFlowObserver
        {
            private readonly DiagnosticSink _sink;
            private readonly List<IMethodSymbol> _targets = new List<IMethodSymbol>();

            public Observer(System.Action<Diagnostic> report) { _sink = new DiagnosticSink(report); }

            public void Visit(IOperation operation, FlowState before, FunctionInfo function, FlowSession session)
            {
                switch (operation)
                {
                    case IMethodReferenceOperation reference:
                        ReportDelegate(operation, reference.Method, session);
                        return;
                    case IFlowAnonymousFunctionOperation lambda:
                        ReportDelegate(operation, lambda.Symbol, session);
                        return;
                }

                if (function.KernelThreadOnly || function.PopulatedStack)
                    return;

                CallTargets.Collect(operation, _targets);
                foreach (IMethodSymbol target in _targets)
                {
                    Marks marks = session.Marks.Of(target);
                    if (!marks.Has(Marks.AnyDisables))
                        continue;
                    // Paths that already run with something disabled need no pre-fault (a fault could not
                    // be taken there anyway): only enabled paths count, which FlowState tracks per path.
                    if (before.SomeEnabledPathNotPrefaulted)
                        _sink.Report(MissingPrefault, operation.Syntax, Name(target), Kinds(marks).Describe());
                    else if (before.SomeEnabledPathStale)
                        _sink.Report(StackallocAfterPrefault, operation.Syntax, Name(target), Kinds(marks).Describe());
                    return;
                }
            }

            private void ReportDelegate(IOperation operation, IMethodSymbol method, FlowSession session)
            {
                Marks marks = session.Marks.Of(method);
                if (!marks.Has(Marks.AnyDisables) || IsInNameOf(operation))
                    return;
                _sink.Report(DisablingMemberAsDelegate, operation.Syntax, Name(method), Kinds(marks).Describe());
            }

            private static bool IsInNameOf(IOperation operation)
            {
                for (IOperation? o = operation.Parent; o != null; o = o.Parent)
                {
                    if (o is INameOfOperation)
                        return true;
                }
                return false;
            }

            private static RegionKind Kinds(Marks marks) => marks.Disabled() | marks.MayDisable();

            private static string Name(IMethodSymbol method)
                => method.MethodKind == MethodKind.AnonymousFunction ? "lambda" : method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        }
    }
}
