using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Osv.Analyzers.Flow
{
    internal enum FunctionKind
    {
        /// <summary>The body the operation block belongs to: a method, accessor, constructor or initializer.</summary>
        Root,
        LocalFunction,
        Lambda,
    }

    /// <summary>One body the analysis runs over: the member's own, or a lambda's or local function's inside it.</summary>
    internal sealed class FunctionInfo
    {
        public FunctionInfo(FunctionKind kind, ControlFlowGraph graph, ISymbol owner, Marks marks, FunctionInfo? parent)
        {
            Kind = kind;
            Graph = graph;
            Owner = owner;
            Marks = marks;
            Parent = parent;
        }

        public FunctionKind Kind { get; }
        public ControlFlowGraph Graph { get; }

        /// <summary>The method, lambda or local function; for an initializer, the field or property.</summary>
        public ISymbol Owner { get; }

        public IMethodSymbol? Method => Owner as IMethodSymbol;

        /// <summary>Its own marks plus [KernelThreadOnly]/[PopulatedStack] from its types and enclosing methods.</summary>
        public Marks Marks { get; }

        public FunctionInfo? Parent { get; }

        /// <summary>The state at entry the body was last solved with.</summary>
        public FlowState Entry { get; set; }

        internal BodyAnalysis? Analysis { get; set; }

        public bool KernelThreadOnly => Marks.Has(Marks.KernelThreadOnly);
        public bool PopulatedStack => Marks.Has(Marks.PopulatedStack);
    }
}
