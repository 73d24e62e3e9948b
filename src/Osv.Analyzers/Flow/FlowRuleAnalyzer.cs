using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Osv.Analyzers.Flow
{
    /// <summary>
    /// The shared start of rules 1-3: once the Osv.Annotations vocabulary is visible, every operation
    /// block runs through one <see cref="FlowSession"/>, and the rule's observer reports.
    /// </summary>
    public abstract class FlowRuleAnalyzer : DiagnosticAnalyzer
    {
        public sealed override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                if (!MarksCache.IsVocabularyVisible(start.Compilation))
                    return;
                start.RegisterOperationBlockAction(block => FlowSession.Analyze(block, CreateObserver(block.ReportDiagnostic)));
            });
        }

        private protected abstract IFlowObserver CreateObserver(Action<Diagnostic> report);
    }
}
