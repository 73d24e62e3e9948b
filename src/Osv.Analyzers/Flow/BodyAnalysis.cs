using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Osv.Analyzers.Flow
{
    /// <summary>
    /// Forward dataflow of <see cref="FlowState"/> over one control-flow graph (Roslyn's
    /// Microsoft.CodeAnalysis.FlowAnalysis). Join at merge points is set union (see FlowState), so a
    /// loop runs to a fixed point over a finite lattice.
    ///
    /// Inside a block, operations are evaluated in post-order (receiver and arguments before the call).
    /// Transfer: Stack.PrefaultNextPage*() -> pre-faulted; stackalloc -> pre-fault stale; [Disables...] ->
    /// depth + 1; [Enables...] -> depth - 1; a try-acquire ([Disables...When(v)]) disables only on the
    /// successor where the branch condition says it returned v (else "maybe"); a call to a local function
    /// records the state there (the local function's entry state is the join over its call sites).
    ///
    /// Control flow:
    /// - `return`/`break`/`goto` out of a `try` runs its `finally` regions first; a finally region's entry
    ///   state is the join of every branch through it and its exit flows to all of their destinations.
    /// - Exceptions are not followed: in the kernel `throw` panics. A `catch` handler starts with the state
    ///   at the start of its `try`; a `throw` ends its path.
    /// </summary>
    internal sealed class BodyAnalysis
    {
        private readonly FlowSession _session;
        private readonly FunctionInfo _function;
        private readonly ControlFlowGraph _graph;
        private readonly FlowState[] _in;
        private readonly bool[] _dirty;
        private readonly Dictionary<CaptureId, IOperation> _captures = new Dictionary<CaptureId, IOperation>();
        private readonly Dictionary<IOperation, BranchTry> _branchTries = new Dictionary<IOperation, BranchTry>();
        private readonly HashSet<IOperation> _consumedTries = new HashSet<IOperation>();
        private readonly HashSet<IOperation> _guardNullChecks = new HashSet<IOperation>();
        private readonly Dictionary<ILocalSymbol, List<IOperation>> _localValues = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        private readonly Dictionary<ControlFlowRegion, List<BasicBlock>> _finallyContinuations = new Dictionary<ControlFlowRegion, List<BasicBlock>>();
        private readonly List<IMethodSymbol> _targets = new List<IMethodSymbol>();

        private readonly struct BranchTry
        {
            public BranchTry(Marks marks, bool negated) { Marks = marks; Negated = negated; }
            public Marks Marks { get; }
            public bool Negated { get; }
        }

        public BodyAnalysis(FlowSession session, FunctionInfo function)
        {
            _session = session;
            _function = function;
            _graph = function.Graph;
            _in = new FlowState[_graph.Blocks.Length];
            _dirty = new bool[_graph.Blocks.Length];
            Prepare();
        }

        private void Prepare()
        {
            foreach (BasicBlock block in _graph.Blocks)
            {
                foreach (IOperation operation in block.Operations)
                {
                    if (operation is IFlowCaptureOperation capture)
                        _captures[capture.Id] = capture.Value;
                    else if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment)
                    {
                        if (!_localValues.TryGetValue(local.Local, out List<IOperation>? values))
                            _localValues[local.Local] = values = new List<IOperation>();
                        values.Add(assignment.Value);
                    }
                }
            }
            foreach (BasicBlock block in _graph.Blocks)
            {
                if (block.BranchValue is IIsNullOperation { IsImplicit: true } isNull && IsGuard(isNull.Operand, 0))
                    _guardNullChecks.Add(isNull);
                if (block.BranchValue != null && block.ConditionKind != ControlFlowConditionKind.None
                    && ResolveTryCondition(block.BranchValue, out IOperation? call, out Marks marks, out bool negated))
                {
                    _branchTries[block.BranchValue] = new BranchTry(marks, negated);
                    _consumedTries.Add(call!);
                }
                AddContinuations(block.FallThroughSuccessor);
                AddContinuations(block.ConditionalSuccessor);
            }
        }

        private void AddContinuations(ControlFlowBranch? branch)
        {
            if (branch == null || branch.FinallyRegions.IsEmpty)
                return;
            for (int i = 0; i < branch.FinallyRegions.Length; i++)
            {
                BasicBlock? next = i + 1 < branch.FinallyRegions.Length
                    ? _graph.Blocks[branch.FinallyRegions[i + 1].FirstBlockOrdinal]
                    : branch.Destination;
                if (next == null)
                    continue;
                if (!_finallyContinuations.TryGetValue(branch.FinallyRegions[i], out List<BasicBlock>? list))
                    _finallyContinuations[branch.FinallyRegions[i]] = list = new List<BasicBlock>();
                if (!list.Contains(next))
                    list.Add(next);
            }
        }

        /// <summary>
        /// A `using` resource that a [Disables...] factory returned or a [Disables...] constructor created:
        /// the disposal's "is it null?" check never takes the null path (else the region would seem to
        /// outlive the `using` on that path).
        /// </summary>
        private bool IsGuard(IOperation value, int depth)
        {
            if (depth > 8)
                return false;
            value = CallTargets.UnwrapImplicitConversions(value);
            switch (value)
            {
                case IFlowCaptureReferenceOperation reference:
                    return _captures.TryGetValue(reference.Id, out IOperation? captured) && IsGuard(captured, depth + 1);
                case ILocalReferenceOperation local:
                    if (!_localValues.TryGetValue(local.Local, out List<IOperation>? values) || values.Count == 0)
                        return false;
                    foreach (IOperation assigned in values)
                    {
                        if (!IsGuard(assigned, depth + 1))
                            return false;
                    }
                    return true;
                case IInvocationOperation invocation:
                    return _session.Marks.Of(invocation.TargetMethod).Has(Marks.DisablesPreemption | Marks.DisablesInterrupts);
                case IObjectCreationOperation creation:
                    return creation.Constructor != null && _session.Marks.Of(creation.Constructor).Has(Marks.DisablesPreemption | Marks.DisablesInterrupts);
                default:
                    return false;
            }
        }

        /// <summary>`if (lk.TryLock())`, `if (!lk.TryLock())`, also through the graph's flow captures.</summary>
        private bool ResolveTryCondition(IOperation value, out IOperation? call, out Marks marks, out bool negated)
        {
            negated = false;
            call = null;
            marks = Marks.None;
            for (int guard = 0; guard < 32; guard++)
            {
                if (value is IFlowCaptureReferenceOperation reference && _captures.TryGetValue(reference.Id, out IOperation? captured))
                    value = captured;
                else if (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not)
                {
                    negated = !negated;
                    value = not.Operand;
                }
                else if (value is IConversionOperation { IsImplicit: true, OperatorMethod: null } conversion)
                    value = conversion.Operand;
                else
                    break;
            }
            if (value is IInvocationOperation invocation)
            {
                marks = _session.Marks.Of(invocation.TargetMethod);
                if (marks.Has(Marks.TryDisables))
                {
                    call = invocation;
                    return true;
                }
            }
            return false;
        }

        /// <summary>Runs the dataflow to its fixed point from the given entry state.</summary>
        public void Solve(FlowState entry)
        {
            for (int i = 0; i < _in.Length; i++)
            {
                _in[i] = FlowState.Unreached;
                _dirty[i] = false;
            }
            Join(_graph.Blocks[0], entry);
            bool any = true;
            for (int round = 0; any && round < 100000; round++)
            {
                any = false;
                for (int i = 0; i < _in.Length; i++)
                {
                    if (!_dirty[i])
                        continue;
                    _dirty[i] = false;
                    any = true;
                    ProcessBlock(_graph.Blocks[i], null);
                }
            }
        }

        /// <summary>Walks the solved graph once more, telling the observer the state before every operation.</summary>
        public void Replay(IFlowObserver observer)
        {
            foreach (BasicBlock block in _graph.Blocks)
            {
                if (!_in[block.Ordinal].IsUnreached)
                    ProcessBlock(block, observer);
            }
        }

        private void ProcessBlock(BasicBlock block, IFlowObserver? observer)
        {
            FlowState state = _in[block.Ordinal];
            if (state.IsUnreached)
                return;

            if (observer == null)
                SeedHandlers(block, state);

            foreach (IOperation operation in block.Operations)
                state = Walk(operation, state, observer);
            if (block.BranchValue != null)
                state = Walk(block.BranchValue, state, observer);

            if (observer != null)
                return;

            if (block.ConditionKind != ControlFlowConditionKind.None && block.BranchValue != null)
            {
                bool conditionalWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                FlowState onConditional = state;
                FlowState onFallThrough = state;
                if (_branchTries.TryGetValue(block.BranchValue, out BranchTry tryCall))
                {
                    onConditional = state.Disable(tryCall.Marks.DisabledWhenReturned(conditionalWhen ^ tryCall.Negated));
                    onFallThrough = state.Disable(tryCall.Marks.DisabledWhenReturned(!conditionalWhen ^ tryCall.Negated));
                }
                else if (_guardNullChecks.Contains(block.BranchValue))
                {
                    // The null path of a guard's disposal is never taken.
                    if (conditionalWhen)
                        onConditional = FlowState.Unreached;
                    else
                        onFallThrough = FlowState.Unreached;
                }
                Flow(block.ConditionalSuccessor, onConditional);
                Flow(block.FallThroughSuccessor, onFallThrough);
            }
            else
            {
                Flow(block.FallThroughSuccessor, state);
            }

            if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
            {
                ControlFlowRegion? region = block.EnclosingRegion;
                while (region != null && region.Kind != ControlFlowRegionKind.Finally)
                    region = region.EnclosingRegion;
                if (region != null && _finallyContinuations.TryGetValue(region, out List<BasicBlock>? continuations))
                {
                    foreach (BasicBlock next in continuations)
                        Join(next, state);
                }
            }
        }

        /// <summary>A catch handler starts with the state at the start of its try (exceptions panic in the kernel).</summary>
        private void SeedHandlers(BasicBlock block, FlowState state)
        {
            for (ControlFlowRegion? region = block.EnclosingRegion; region != null; region = region.EnclosingRegion)
            {
                if (region.FirstBlockOrdinal != block.Ordinal)
                    break;
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion?.Kind != ControlFlowRegionKind.TryAndCatch)
                    continue;
                foreach (ControlFlowRegion handler in region.EnclosingRegion.NestedRegions)
                {
                    if (handler != region && (handler.Kind == ControlFlowRegionKind.Catch || handler.Kind == ControlFlowRegionKind.FilterAndHandler))
                        Join(_graph.Blocks[handler.FirstBlockOrdinal], state);
                }
            }
        }

        private void Flow(ControlFlowBranch? branch, FlowState state)
        {
            if (branch == null || state.IsUnreached)
                return;
            if (!branch.FinallyRegions.IsEmpty)
                Join(_graph.Blocks[branch.FinallyRegions[0].FirstBlockOrdinal], state);
            else if (branch.Destination != null)
                Join(branch.Destination, state);
        }

        private void Join(BasicBlock block, FlowState state)
        {
            FlowState joined = _in[block.Ordinal].Join(state);
            if (!joined.Equals(_in[block.Ordinal]))
            {
                _in[block.Ordinal] = joined;
                _dirty[block.Ordinal] = true;
            }
        }

        /// <summary>Post-order walk of one operation tree (evaluation order): children first, then the node's own effect.</summary>
        private FlowState Walk(IOperation operation, FlowState state, IFlowObserver? observer)
        {
            if (operation is IFlowAnonymousFunctionOperation)
            {
                // Its body is a separate graph, run at some other time.
                observer?.Visit(operation, state, _function, _session);
                return state;
            }
            if (operation is IObjectCreationOperation creation)
            {
                // The constructor runs before the object initializer.
                foreach (IArgumentOperation argument in creation.Arguments)
                    state = Walk(argument, state, observer);
                observer?.Visit(operation, state, _function, _session);
                state = Apply(operation, state, observer == null);
                if (creation.Initializer != null)
                    state = Walk(creation.Initializer, state, observer);
                return state;
            }
            foreach (IOperation child in operation.ChildOperations)
                state = Walk(child, state, observer);
            observer?.Visit(operation, state, _function, _session);
            return Apply(operation, state, observer == null);
        }

        private FlowState Apply(IOperation operation, FlowState state, bool solving)
        {
            if (IsStackalloc(operation))
                return state.Stackalloc();

            CallTargets.Collect(operation, _targets);
            if (_targets.Count == 0)
                return state;

            Marks marks = Marks.None;
            foreach (IMethodSymbol target in _targets)
            {
                marks |= _session.Marks.Of(target);
                if (solving && target.MethodKind == MethodKind.LocalFunction)
                    _session.RecordLocalFunctionCall(target, state);
            }

            if (marks.Has(Marks.Prefault))
                state = state.Prefault();
            if (marks.Has(Marks.Enables))
                state = state.Enable(marks.Enabled());
            if (marks.Has(Marks.DisablesPreemption | Marks.DisablesInterrupts))
                state = state.Disable(marks.Disabled());
            if (marks.Has(Marks.TryDisables) && !_consumedTries.Contains(operation))
            {
                // The result is not branched on directly: from here on "maybe disabled".
                state = state.Join(state.Disable(marks.DisabledWhenReturned(true))).Join(state.Disable(marks.DisabledWhenReturned(false)));
            }
            return state;
        }

        public static bool IsStackalloc(IOperation operation)
        {
            SyntaxKind kind = (SyntaxKind)operation.Syntax.RawKind;
            if (kind != SyntaxKind.StackAllocArrayCreationExpression && kind != SyntaxKind.ImplicitStackAllocArrayCreationExpression)
                return false;
            // The stackalloc node itself, not a conversion wrapped around it.
            return operation is not IConversionOperation;
        }

        /// <summary>Does the body call a member that enables the given kind (outside nested functions)?</summary>
        public static bool CallsEnabling(ControlFlowGraph graph, RegionKind kind, MarksCache marksCache)
        {
            var targets = new List<IMethodSymbol>();
            foreach (BasicBlock block in graph.Blocks)
            {
                foreach (IOperation root in Roots(block))
                {
                    foreach (IOperation operation in root.DescendantsAndSelf())
                    {
                        CallTargets.Collect(operation, targets);
                        foreach (IMethodSymbol target in targets)
                        {
                            if ((marksCache.Of(target).Enabled() & kind) != 0)
                                return true;
                        }
                    }
                }
            }
            return false;
        }

        public static IEnumerable<IOperation> Roots(BasicBlock block)
        {
            foreach (IOperation operation in block.Operations)
                yield return operation;
            if (block.BranchValue != null)
                yield return block.BranchValue;
        }
    }
}
