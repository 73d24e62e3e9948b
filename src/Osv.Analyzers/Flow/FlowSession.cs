using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Osv.Analyzers.Flow
{
    /// <summary>Told the state before every operation of every analyzed body.</summary>
    internal interface IFlowObserver
    {
        void Visit(IOperation operation, FlowState before, FunctionInfo function, FlowSession session);
    }

    /// <summary>
    /// The dataflow of one operation block (a member body or initializer) and of every lambda and local
    /// function inside it. All three rule analyzers replay the same solved session.
    ///
    /// Entry states:
    /// - a member: enabled, not pre-faulted; [Requires...Disabled] -> that kind at depth 1;
    ///   [Disables...] (also the try form) -> pre-faulted (its callers pre-fault: the obligation is theirs);
    ///   [Enables...] -> that kind at depth 1 if the body itself calls an [Enables...] member of that kind
    ///   (a wrapper such as a lock's Unlock), else enabled (a raw primitive: the transition is invisible).
    /// - a lambda: like a member with the lambda's own attributes (it runs whenever the delegate is called).
    /// - a local function without region attributes of its own: the join of the states at its direct
    ///   calls (pre-fault state included: it is analyzed as if inlined); if it is also turned into a
    ///   delegate, or never called, the join includes "enabled, not pre-faulted".
    /// [KernelThreadOnly] / [PopulatedStack] of a lambda or local function: its own, or its enclosing
    /// method's or types'.
    /// </summary>
    internal sealed class FlowSession
    {
        private static readonly ConditionalWeakTable<Compilation, MarksCache> s_marks = new ConditionalWeakTable<Compilation, MarksCache>();
        private static readonly ConditionalWeakTable<ControlFlowGraph, FlowSession> s_sessions = new ConditionalWeakTable<ControlFlowGraph, FlowSession>();

        private readonly List<FunctionInfo> _functions = new List<FunctionInfo>();
        private readonly Dictionary<IMethodSymbol, FunctionInfo> _bySymbol = new Dictionary<IMethodSymbol, FunctionInfo>(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, FlowState> _localCallStates = new Dictionary<IMethodSymbol, FlowState>(SymbolEqualityComparer.Default);
        private readonly HashSet<IMethodSymbol> _localsAsDelegates = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, bool> _captures = new Dictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
        private readonly object _gate = new object();

        private FlowSession(MarksCache marks) { Marks = marks; }

        public MarksCache Marks { get; }

        public IReadOnlyList<FunctionInfo> Functions => _functions;

        public static MarksCache MarksFor(Compilation compilation) => s_marks.GetValue(compilation, _ => new MarksCache());

        /// <summary>Runs <paramref name="observer"/> over every body of the operation block (solving each once, shared by the rules).</summary>
        public static void Analyze(OperationBlockAnalysisContext context, IFlowObserver observer)
        {
            MarksCache marks = MarksFor(context.Compilation);
            var roots = new HashSet<IOperation>();
            foreach (IOperation block in context.OperationBlocks)
            {
                IOperation root = block;
                while (root.Parent != null)
                    root = root.Parent;
                if (!IsGraphRoot(root) || !roots.Add(root))
                    continue;
                ControlFlowGraph graph = context.GetControlFlowGraph(block);
                FlowSession session = s_sessions.GetValue(graph, g => Solve(g, context.OwningSymbol, marks));
                session.Replay(observer);
            }
        }

        private static bool IsGraphRoot(IOperation block)
            => block.Kind == OperationKind.MethodBody || block.Kind == OperationKind.ConstructorBody || block.Kind == OperationKind.Block
               || block.Kind == OperationKind.FieldInitializer || block.Kind == OperationKind.PropertyInitializer;

        private static FlowSession Solve(ControlFlowGraph graph, ISymbol owner, MarksCache marks)
        {
            var session = new FlowSession(marks);
            var root = new FunctionInfo(FunctionKind.Root, graph, owner, marks.OfOwner(owner), null);
            session.Add(root);
            session.Discover(graph, root);
            session.SolveAll();
            return session;
        }

        private void Add(FunctionInfo function)
        {
            _functions.Add(function);
            if (function.Method != null && function.Kind != FunctionKind.Root)
                _bySymbol[function.Method.OriginalDefinition] = function;
            function.Analysis = new BodyAnalysis(this, function);
        }

        private void Discover(ControlFlowGraph graph, FunctionInfo parent)
        {
            foreach (IMethodSymbol local in graph.LocalFunctions)
            {
                ControlFlowGraph localGraph = graph.GetLocalFunctionControlFlowGraph(local);
                var function = new FunctionInfo(FunctionKind.LocalFunction, localGraph, local, Marks.Of(local), parent);
                Add(function);
                Discover(localGraph, function);
            }
            foreach (BasicBlock block in graph.Blocks)
            {
                foreach (IOperation root in BodyAnalysis.Roots(block))
                {
                    foreach (IOperation operation in root.DescendantsAndSelf())
                    {
                        if (operation is IFlowAnonymousFunctionOperation lambda)
                        {
                            ControlFlowGraph lambdaGraph = graph.GetAnonymousFunctionControlFlowGraph(lambda);
                            var function = new FunctionInfo(FunctionKind.Lambda, lambdaGraph, lambda.Symbol, Marks.Of(lambda.Symbol), parent);
                            Add(function);
                            Discover(lambdaGraph, function);
                        }
                        else if (operation is IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference)
                        {
                            _localsAsDelegates.Add(reference.Method.OriginalDefinition);
                        }
                    }
                }
            }
        }

        private void SolveAll()
        {
            var derived = new List<FunctionInfo>();
            foreach (FunctionInfo function in _functions)
            {
                if (function.Kind == FunctionKind.LocalFunction && !HasRegionMarks(function.Marks))
                {
                    derived.Add(function);
                    continue;
                }
                function.Entry = EntryFromMarks(function);
                function.Analysis!.Solve(function.Entry);
            }

            // Local functions: entry = join over call sites, to a fixed point (they may call each other).
            var solved = new HashSet<FunctionInfo>();
            bool changed = true;
            for (int round = 0; changed && round < 1000; round++)
            {
                changed = false;
                foreach (FunctionInfo function in derived)
                {
                    IMethodSymbol symbol = function.Method!.OriginalDefinition;
                    _localCallStates.TryGetValue(symbol, out FlowState entry);
                    if (entry.IsUnreached || _localsAsDelegates.Contains(symbol))
                        entry = entry.Join(FlowState.Single(PrefaultState.None, 0, 0));
                    if (solved.Contains(function) && entry.Equals(function.Entry))
                        continue;
                    solved.Add(function);
                    function.Entry = entry;
                    function.Analysis!.Solve(entry);
                    changed = true;
                }
            }
        }

        private static bool HasRegionMarks(Marks marks)
            => marks.Has(Flow.Marks.Requires | Flow.Marks.AnyDisables | Flow.Marks.Enables);

        private FlowState EntryFromMarks(FunctionInfo function)
        {
            Marks marks = function.Marks;
            PrefaultState prefault = marks.Has(Flow.Marks.AnyDisables) ? PrefaultState.Prefaulted : PrefaultState.None;
            RegionKind disabled = marks.Required();
            RegionKind enabled = marks.Enabled();
            if (enabled != RegionKind.None)
            {
                foreach (RegionKind kind in new[] { RegionKind.Preemption, RegionKind.Interrupts })
                {
                    if ((enabled & kind) != 0 && BodyAnalysis.CallsEnabling(function.Graph, kind, Marks))
                        disabled |= kind;
                }
            }
            return FlowState.Single(prefault, (disabled & RegionKind.Preemption) != 0 ? 1 : 0, (disabled & RegionKind.Interrupts) != 0 ? 1 : 0);
        }

        internal void RecordLocalFunctionCall(IMethodSymbol localFunction, FlowState state)
        {
            IMethodSymbol key = localFunction.OriginalDefinition;
            _localCallStates.TryGetValue(key, out FlowState previous);
            _localCallStates[key] = previous.Join(state);
        }

        private void Replay(IFlowObserver observer)
        {
            // Rules may replay one session at the same time; the walk reuses per-body scratch lists.
            lock (_gate)
            {
                foreach (FunctionInfo function in _functions)
                    function.Analysis!.Replay(observer);
            }
        }

        /// <summary>The lambda or local function of this session with the given symbol.</summary>
        public FunctionInfo? Find(IMethodSymbol symbol)
            => _bySymbol.TryGetValue(symbol.OriginalDefinition, out FunctionInfo? function) ? function : null;

        /// <summary>
        /// Does the lambda or local function capture anything from outside itself (a local, a parameter,
        /// `this`, or through a capturing local function it uses)? Then turning it into a delegate allocates
        /// a closure and a delegate; a non-capturing one becomes a cached static delegate.
        /// </summary>
        public bool Captures(IMethodSymbol function)
        {
            lock (_gate)
                return CapturesCore(function.OriginalDefinition, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
        }

        private bool CapturesCore(IMethodSymbol function, HashSet<IMethodSymbol> visiting)
        {
            if (_captures.TryGetValue(function, out bool known))
                return known;
            if (!visiting.Add(function))
                return false;
            FunctionInfo? info = Find(function);
            bool result = info == null ? !function.IsStatic : CapturesIn(info.Graph, function, visiting);
            visiting.Remove(function);
            _captures[function] = result;
            return result;
        }

        private bool CapturesIn(ControlFlowGraph graph, IMethodSymbol function, HashSet<IMethodSymbol> visiting)
        {
            foreach (BasicBlock block in graph.Blocks)
            {
                foreach (IOperation root in BodyAnalysis.Roots(block))
                {
                    foreach (IOperation operation in root.DescendantsAndSelf())
                    {
                        switch (operation)
                        {
                            case ILocalReferenceOperation local when !IsWithin(local.Local.ContainingSymbol, function):
                                return true;
                            case IParameterReferenceOperation parameter when !IsWithin(parameter.Parameter.ContainingSymbol, function):
                                return true;
                            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                                return true;
                            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call
                                when !IsWithin(call.TargetMethod.ContainingSymbol, function) && CapturesCore(call.TargetMethod.OriginalDefinition, visiting):
                                return true;
                            case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference
                                when !IsWithin(reference.Method.ContainingSymbol, function) && CapturesCore(reference.Method.OriginalDefinition, visiting):
                                return true;
                            case IFlowAnonymousFunctionOperation lambda
                                when CapturesIn(graph.GetAnonymousFunctionControlFlowGraph(lambda), function, visiting):
                                return true;
                        }
                    }
                }
            }
            foreach (IMethodSymbol local in graph.LocalFunctions)
            {
                if (CapturesIn(graph.GetLocalFunctionControlFlowGraph(local), function, visiting))
                    return true;
            }
            return false;
        }

        private static bool IsWithin(ISymbol? container, IMethodSymbol function)
        {
            for (ISymbol? c = container; c != null && c.Kind != SymbolKind.NamedType && c.Kind != SymbolKind.Namespace; c = c.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(c.OriginalDefinition, function.OriginalDefinition))
                    return true;
            }
            return false;
        }
    }
}
