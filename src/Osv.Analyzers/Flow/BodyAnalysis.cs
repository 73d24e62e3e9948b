using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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
    /// - `return`/`break`/`goto` out of a `try` runs its `finally` regions first. A finally region's blocks
    ///   are solved once per continuation (the chain of further finally regions and the destination the
    ///   entering branch was heading for), so paths sharing a finally do not mix.
    /// - Exceptions are not followed: in the kernel `throw` panics. A `catch` handler starts with the state
    ///   at the start of its `try`; a `throw` ends its path.
    /// </summary>
    internal sealed class BodyAnalysis
    {
        private readonly FlowSession _session;
        private readonly FunctionInfo _function;
        private readonly ControlFlowGraph _graph;
        // In-state per (block, continuation): blocks of a finally region are solved once per place the
        // finally continues to, so paths through a shared finally do not mix.
        private readonly Dictionary<BlockKey, FlowState> _in = new Dictionary<BlockKey, FlowState>();
        private readonly Queue<BlockKey> _work = new Queue<BlockKey>();
        private readonly HashSet<BlockKey> _queued = new HashSet<BlockKey>();
        private readonly Dictionary<CaptureId, IOperation> _captures = new Dictionary<CaptureId, IOperation>();
        private readonly HashSet<CaptureId> _ambiguousCaptures = new HashSet<CaptureId>();
        private readonly Dictionary<IOperation, BranchTry> _branchTries = new Dictionary<IOperation, BranchTry>();
        private readonly HashSet<IOperation> _consumedTries = new HashSet<IOperation>();
        private readonly HashSet<IOperation> _guardNullChecks = new HashSet<IOperation>();
        private readonly Dictionary<ILocalSymbol, List<IOperation>> _localValues = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
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
            Prepare();
        }

        private void Prepare()
        {
            foreach (BasicBlock block in _graph.Blocks)
            {
                foreach (IOperation operation in block.Operations)
                {
                    if (operation is IFlowCaptureOperation capture)
                    {
                        // A capture written on several paths (`c ? a : b`) has no single value to follow.
                        if (_captures.ContainsKey(capture.Id))
                            _ambiguousCaptures.Add(capture.Id);
                        _captures[capture.Id] = capture.Value;
                    }
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
                    return !_ambiguousCaptures.Contains(reference.Id)
                           && _captures.TryGetValue(reference.Id, out IOperation? captured) && IsGuard(captured, depth + 1);
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
                if (value is IFlowCaptureReferenceOperation reference && !_ambiguousCaptures.Contains(reference.Id)
                    && _captures.TryGetValue(reference.Id, out IOperation? captured))
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
            _in.Clear();
            _work.Clear();
            _queued.Clear();
            Join(new BlockKey(_graph.Blocks[0], null), entry);
            for (int steps = 0; _work.Count > 0 && steps < 1000000; steps++)
            {
                BlockKey key = _work.Dequeue();
                _queued.Remove(key);
                ProcessBlock(key);
            }
        }

        /// <summary>Walks the solved graph once more, telling the observer the state before every operation.</summary>
        public void Replay(IFlowObserver observer)
        {
            // Per block, the join over its continuations: a set of path tuples, exact for "some path"
            // and "every path" questions.
            var states = new FlowState[_graph.Blocks.Length];
            foreach (KeyValuePair<BlockKey, FlowState> entry in _in)
                states[entry.Key.Block.Ordinal] = states[entry.Key.Block.Ordinal].Join(entry.Value);
            foreach (BasicBlock block in _graph.Blocks)
            {
                FlowState state = states[block.Ordinal];
                if (state.IsUnreached)
                    continue;
                foreach (IOperation operation in block.Operations)
                    state = Walk(operation, state, observer);
                if (block.BranchValue != null)
                    Walk(block.BranchValue, state, observer);
            }
        }

        private void ProcessBlock(BlockKey key)
        {
            BasicBlock block = key.Block;
            FlowState state = _in[key];
            if (state.IsUnreached)
                return;

            SeedHandlers(key, state);

            foreach (IOperation operation in block.Operations)
                state = Walk(operation, state, null);
            if (block.BranchValue != null)
                state = Walk(block.BranchValue, state, null);

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
                Flow(block.ConditionalSuccessor, onConditional, key.Continuation);
                Flow(block.FallThroughSuccessor, onFallThrough, key.Continuation);
            }
            else
            {
                Flow(block.FallThroughSuccessor, state, key.Continuation);
            }

            // End of a finally region: on to what the branch that entered it was heading for.
            if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling
                && key.Continuation != null && IsInFinally(block))
            {
                Continuation next = key.Continuation;
                if (next.Target is ControlFlowRegion region)
                    Join(new BlockKey(_graph.Blocks[region.FirstBlockOrdinal], next.Rest), state);
                else if (next.Target is BasicBlock destination)
                    Join(new BlockKey(destination, next.Rest), state);
            }
        }

        private static bool IsInFinally(BasicBlock block)
        {
            for (ControlFlowRegion? region = block.EnclosingRegion; region != null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Finally)
                    return true;
            }
            return false;
        }

        /// <summary>A catch handler starts with the state at the start of its try (exceptions panic in the kernel).</summary>
        private void SeedHandlers(BlockKey key, FlowState state)
        {
            BasicBlock block = key.Block;
            for (ControlFlowRegion? region = block.EnclosingRegion; region != null; region = region.EnclosingRegion)
            {
                if (region.FirstBlockOrdinal != block.Ordinal)
                    break;
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion?.Kind != ControlFlowRegionKind.TryAndCatch)
                    continue;
                foreach (ControlFlowRegion handler in region.EnclosingRegion.NestedRegions)
                {
                    if (handler != region && (handler.Kind == ControlFlowRegionKind.Catch || handler.Kind == ControlFlowRegionKind.FilterAndHandler))
                        Join(new BlockKey(_graph.Blocks[handler.FirstBlockOrdinal], key.Continuation), state);
                }
            }
        }

        private void Flow(ControlFlowBranch? branch, FlowState state, Continuation? continuation)
        {
            if (branch == null || state.IsUnreached)
                return;
            if (branch.FinallyRegions.IsEmpty)
            {
                if (branch.Destination != null)
                    Join(new BlockKey(branch.Destination, continuation), state);
                return;
            }
            // Run the finally regions in order, then reach the destination (and then whatever the
            // enclosing finally, if the branch is inside one, continues to).
            if (branch.Destination == null)
                return;   // an exception leaving through finally blocks: not followed
            Continuation? chain = new Continuation(branch.Destination, continuation);
            for (int i = branch.FinallyRegions.Length - 1; i >= 1; i--)
                chain = new Continuation(branch.FinallyRegions[i], chain);
            Join(new BlockKey(_graph.Blocks[branch.FinallyRegions[0].FirstBlockOrdinal], chain), state);
        }

        private void Join(BlockKey key, FlowState state)
        {
            _in.TryGetValue(key, out FlowState previous);
            FlowState joined = previous.Join(state);
            if (joined.Equals(previous))
                return;
            _in[key] = joined;
            if (_queued.Add(key))
                _work.Enqueue(key);
        }

        /// <summary>Where a finally region goes when it ends: a further finally region or the branch's destination, then the rest.</summary>
        private sealed class Continuation : IEquatable<Continuation>
        {
            private readonly int _hash;

            public Continuation(object target, Continuation? rest)
            {
                Target = target;
                Rest = rest;
                _hash = unchecked(RuntimeHelpers.GetHashCode(target) * 397 + (rest?._hash ?? 0));
            }

            public object Target { get; }
            public Continuation? Rest { get; }

            public bool Equals(Continuation? other)
            {
                if (ReferenceEquals(this, other))
                    return true;
                if (other == null || other._hash != _hash || !ReferenceEquals(other.Target, Target))
                    return false;
                return Rest == null ? other.Rest == null : Rest.Equals(other.Rest);
            }

            public override bool Equals(object? obj) => Equals(obj as Continuation);
            public override int GetHashCode() => _hash;
        }

        private readonly struct BlockKey : IEquatable<BlockKey>
        {
            public BlockKey(BasicBlock block, Continuation? continuation)
            {
                Block = block;
                Continuation = continuation;
            }

            public BasicBlock Block { get; }
            public Continuation? Continuation { get; }

            public bool Equals(BlockKey other)
                => ReferenceEquals(Block, other.Block) && (Continuation == null ? other.Continuation == null : Continuation.Equals(other.Continuation));

            public override bool Equals(object? obj) => obj is BlockKey other && Equals(other);
            public override int GetHashCode() => unchecked(Block.Ordinal * 31 + (Continuation?.GetHashCode() ?? 0));
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
