using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Osv.Analyzers.Flow
{
    /// <summary>
    /// Reports each (id, place) once: the implicit calls a control-flow graph spells out (a `using`'s
    /// Dispose, a `foreach`'s GetEnumerator/MoveNext/Current) share the syntax of the resource or
    /// collection, and would otherwise repeat a diagnostic at the same span.
    /// </summary>
    internal sealed class DiagnosticSink
    {
        private readonly Action<Diagnostic> _report;
        private readonly HashSet<(string, SyntaxTree?, TextSpan)> _seen = new HashSet<(string, SyntaxTree?, TextSpan)>();

        public DiagnosticSink(Action<Diagnostic> report) { _report = report; }

        public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params object[] arguments)
        {
            if (_seen.Add((descriptor.Id, node.SyntaxTree, node.Span)))
                _report(Diagnostic.Create(descriptor, node.GetLocation(), arguments));
        }
    }
}
