using System;

namespace Osv.Analyzers.Flow
{
    /// <summary>Whether the stack below the current frame has been pre-faulted.</summary>
    internal enum PrefaultState
    {
        /// <summary>No Stack.PrefaultNextPage*() call on this path.</summary>
        None = 0,
        /// <summary>Pre-faulted, and no stackalloc since.</summary>
        Prefaulted = 1,
        /// <summary>Pre-faulted, but a stackalloc moved the stack pointer since (OSV1002).</summary>
        Stale = 2,
    }

    /// <summary>The two things a region can disable.</summary>
    [Flags]
    internal enum RegionKind
    {
        None = 0,
        Preemption = 1,
        Interrupts = 2,
    }

    /// <summary>
    /// The abstract state at a program point: the SET of (pre-fault state, preemption-disable depth,
    /// interrupt-disable depth) tuples that some path reaching the point can have. Joining two paths is
    /// set union, so the analysis keeps the correlation between the three facts on each path (a path that
    /// disabled interrupts needs no pre-fault; a path that did not, does) and answers both kinds of
    /// question exactly: "on every path" (must) and "on some path" (may).
    /// Depths count nested disables 0..7; 7 means "7 or more" (a disable there stays 7, an enable gives
    /// 6 or 7). 3 pre-fault states x 8 x 8 depths = 192 tuples, one bit each: word p holds pre-fault
    /// state p, bit (preemptDepth * 8 + irqDepth).
    /// The empty set means "not reached".
    /// </summary>
    internal readonly struct FlowState : IEquatable<FlowState>
    {
        private const ulong PreemptRow0 = 0x00000000000000FFUL;   // preemption depth 0
        private const ulong PreemptRow7 = 0xFF00000000000000UL;   // preemption depth 7 (saturated)
        private const ulong IrqColumn0 = 0x0101010101010101UL;    // interrupt depth 0
        private const ulong IrqColumn7 = 0x8080808080808080UL;    // interrupt depth 7 (saturated)

        private readonly ulong _none;
        private readonly ulong _prefaulted;
        private readonly ulong _stale;

        private FlowState(ulong none, ulong prefaulted, ulong stale)
        {
            _none = none;
            _prefaulted = prefaulted;
            _stale = stale;
        }

        public static FlowState Unreached => default;

        /// <summary>One path: the given pre-fault state and depths (clamped to 0..7).</summary>
        public static FlowState Single(PrefaultState prefault, int preemptDepth, int irqDepth)
        {
            int p = Math.Max(0, Math.Min(7, preemptDepth));
            int i = Math.Max(0, Math.Min(7, irqDepth));
            ulong bit = 1UL << (p * 8 + i);
            switch (prefault)
            {
                case PrefaultState.Prefaulted: return new FlowState(0, bit, 0);
                case PrefaultState.Stale: return new FlowState(0, 0, bit);
                default: return new FlowState(bit, 0, 0);
            }
        }

        public bool IsUnreached => (_none | _prefaulted | _stale) == 0;

        private ulong All => _none | _prefaulted | _stale;

        public FlowState Join(FlowState other)
            => new FlowState(_none | other._none, _prefaulted | other._prefaulted, _stale | other._stale);

        /// <summary>Stack.PrefaultNextPage*(): every path is pre-faulted now.</summary>
        public FlowState Prefault() => new FlowState(0, All, 0);

        /// <summary>stackalloc: a pre-fault done before it no longer covers the next page.</summary>
        public FlowState Stackalloc() => new FlowState(_none, 0, _prefaulted | _stale);

        public FlowState Disable(RegionKind kind)
        {
            FlowState s = this;
            if ((kind & RegionKind.Preemption) != 0)
                s = s.Map(DisablePreemption);
            if ((kind & RegionKind.Interrupts) != 0)
                s = s.Map(DisableInterrupts);
            return s;
        }

        public FlowState Enable(RegionKind kind)
        {
            FlowState s = this;
            if ((kind & RegionKind.Preemption) != 0)
                s = s.Map(EnablePreemption);
            if ((kind & RegionKind.Interrupts) != 0)
                s = s.Map(EnableInterrupts);
            return s;
        }

        private FlowState Map(Func<ulong, ulong> f) => new FlowState(f(_none), f(_prefaulted), f(_stale));

        private static ulong DisablePreemption(ulong w) => ((w & ~PreemptRow7) << 8) | (w & PreemptRow7);
        private static ulong EnablePreemption(ulong w) => (w >> 8) | (w & PreemptRow0) | (w & PreemptRow7);
        private static ulong DisableInterrupts(ulong w) => ((w & ~IrqColumn7) << 1) | (w & IrqColumn7);
        private static ulong EnableInterrupts(ulong w) => ((w & ~IrqColumn0) >> 1) | (w & IrqColumn0) | (w & IrqColumn7);

        // ---- questions the rules ask ----

        /// <summary>Some path reaches here with both preemption and interrupts enabled and no pre-fault at all.</summary>
        public bool SomeEnabledPathNotPrefaulted => (_none & 1UL) != 0;

        /// <summary>Some path reaches here with both enabled, pre-faulted, but with a stackalloc since.</summary>
        public bool SomeEnabledPathStale => (_stale & 1UL) != 0;

        /// <summary>Some path reaches here with preemption or interrupts disabled ("maybe disabled" or worse).</summary>
        public bool MaybeDisabled => (All & ~1UL) != 0;

        /// <summary>Every path reaching here has the given kind disabled (false when unreached).</summary>
        public bool DefinitelyDisabled(RegionKind kind)
        {
            ulong all = All;
            if (all == 0)
                return false;
            if ((kind & RegionKind.Preemption) != 0 && (all & PreemptRow0) != 0)
                return false;
            if ((kind & RegionKind.Interrupts) != 0 && (all & IrqColumn0) != 0)
                return false;
            return true;
        }

        /// <summary>Some path reaches here with the given kind disabled.</summary>
        public bool MaybeDisabledKind(RegionKind kind)
        {
            ulong all = All;
            return ((kind & RegionKind.Preemption) != 0 && (all & ~PreemptRow0) != 0)
                || ((kind & RegionKind.Interrupts) != 0 && (all & ~IrqColumn0) != 0);
        }

        public bool Equals(FlowState other)
            => _none == other._none && _prefaulted == other._prefaulted && _stale == other._stale;

        public override bool Equals(object? obj) => obj is FlowState other && Equals(other);

        public override int GetHashCode()
            => unchecked((int)(_none ^ (_none >> 32)) * 31 + (int)(_prefaulted ^ (_prefaulted >> 32)) * 17 + (int)(_stale ^ (_stale >> 32)));

        public override string ToString()
        {
            var text = new System.Text.StringBuilder("{");
            ulong[] words = { _none, _prefaulted, _stale };
            string[] names = { "none", "prefaulted", "stale" };
            for (int w = 0; w < 3; w++)
                for (int bit = 0; bit < 64; bit++)
                    if ((words[w] & (1UL << bit)) != 0)
                        text.Append(text.Length > 1 ? ", " : "").Append('(').Append(names[w]).Append(",p").Append(bit / 8).Append(",i").Append(bit % 8).Append(')');
            return text.Append('}').ToString();
        }
    }
}
