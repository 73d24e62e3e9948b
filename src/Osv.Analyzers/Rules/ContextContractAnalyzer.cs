using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Osv.Analyzers.Flow;

namespace Osv.Analyzers.Rules
{
    /// <summary>
    /// Rule 2: [KernelThreadOnly], [PopulatedStack] and [Requires...Disabled] members are called only
    /// from code that satisfies the same contract (docs/analyzers/OSV2001.md, OSV2002.md, OSV2003.md).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ContextContractAnalyzer : FlowRuleAnalyzer
    {
        private const string Category = "Osv.Context";

        internal static readonly DiagnosticDescriptor KernelThreadOnlyCall = new DiagnosticDescriptor(
            DiagnosticIds.KernelThreadOnlyCall,
            "[KernelThreadOnly] member called from code that is not kernel-thread-only",
            "'{0}' is [KernelThreadOnly], but '{1}' is not: mark the caller (or its type) [KernelThreadOnly]",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "A [KernelThreadOnly] member relies on a pre-populated kernel stack. Only code that itself runs on kernel threads only may call it.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.KernelThreadOnlyCall));

        internal static readonly DiagnosticDescriptor PopulatedStackCall = new DiagnosticDescriptor(
            DiagnosticIds.PopulatedStackCall,
            "[PopulatedStack] member called from code that may run on a lazily mapped stack",
            "'{0}' is [PopulatedStack], but '{1}' is neither [PopulatedStack] nor [KernelThreadOnly]",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "A [PopulatedStack] member runs on an interrupt, exception or syscall stack, or a kernel stack. Only code known to run on such a stack may call it.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.PopulatedStackCall));

        internal static readonly DiagnosticDescriptor RequiresDisabledCall = new DiagnosticDescriptor(
            DiagnosticIds.RequiresDisabledCall,
            "[Requires...Disabled] member called where it may be enabled",
            "'{0}' requires {1} disabled, but {1} may be enabled here: call it inside a disabled region or from a member with the same requirement",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "A [RequiresPreemptionDisabled] or [RequiresInterruptsDisabled] member may be called only where the matching kind is disabled on every path.",
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.RequiresDisabledCall));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(KernelThreadOnlyCall, PopulatedStackCall, RequiresDisabledCall);

        private protected override IFlowObserver CreateObserver(System.Action<Diagnostic> report) => new Observer(report);

        private sealed class Observer : IFlowObserver
        {
            private readonly DiagnosticSink _sink;
            private readonly List<IMethodSymbol> _targets = new List<IMethodSymbol>();

            public Observer(System.Action<Diagnostic> report) { _sink = new DiagnosticSink(report); }

            public void Visit(IOperation operation, FlowState before, FunctionInfo function, FlowSession session)
            {
                CallTargets.Collect(operation, _targets);
                if (_targets.Count == 0)
                    return;
                Marks marks = Marks.None;
                IMethodSymbol? kernelOnly = null, populated = null, requires = null;
                foreach (IMethodSymbol target in _targets)
                {
                    Marks targetMarks = session.Marks.Of(target);
                    marks |= targetMarks;
                    if (targetMarks.Has(Marks.KernelThreadOnly))
                        kernelOnly ??= target;
                    if (targetMarks.Has(Marks.PopulatedStack))
                        populated ??= target;
                    if (targetMarks.Has(Marks.Requires))
                        requires ??= target;
                }

                if (kernelOnly != null && !function.KernelThreadOnly)
                    _sink.Report(KernelThreadOnlyCall, operation.Syntax, Name(kernelOnly), CallerName(function));
                else if (populated != null && !function.PopulatedStack && !function.KernelThreadOnly)
                    _sink.Report(PopulatedStackCall, operation.Syntax, Name(populated), CallerName(function));

                if (requires != null)
                {
                    RegionKind required = marks.Required();
                    RegionKind missing = RegionKind.None;
                    foreach (RegionKind kind in new[] { RegionKind.Preemption, RegionKind.Interrupts })
                    {
                        if ((required & kind) != 0 && !before.DefinitelyDisabled(kind))
                            missing |= kind;
                    }
                    if (missing != RegionKind.None)
                        _sink.Report(RequiresDisabledCall, operation.Syntax, Name(requires), missing.Describe());
                }
            }

            private static string Name(IMethodSymbol method) => method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

            private static string CallerName(FunctionInfo function)
            {
                switch (function.Kind)
                {
                    case FunctionKind.Lambda:
                        return "lambda in " + CallerName(function.Parent!);
                    case FunctionKind.LocalFunction:
                        return function.Owner.Name;
                    default:
                        return function.Owner.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
                }
            }
        }
    }
}
