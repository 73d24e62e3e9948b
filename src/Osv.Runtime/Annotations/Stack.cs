using System.Runtime.CompilerServices;

namespace Osv.Annotations
{
    /// <summary>
    /// Stack pre-faulting for lazily mapped application stacks (rules 4 and 5).
    /// Touching the page below the stack pointer makes the page-fault handler map it now,
    /// while faults are still allowed, instead of inside a preemption- or interrupt-disabled region.
    /// </summary>
    public static unsafe partial class Stack
    {
        public const int PageSize = 4096;

        /// <summary>Rule 4: preemption and interrupts are known enabled; touch the next stack page.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void PrefaultNextPage()
        {
            byte marker = 0;
            TouchBelow(&marker);
        }

        /// <summary>Rule 5: touch the next stack page only if a fault could be taken right now.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void PrefaultNextPageIfPreemptible()
        {
            if (PreemptibleProbe != null && PreemptibleProbe() == 0)
                return;
            byte marker = 0;
            TouchBelow(&marker);
        }

        /// <summary>Set by the scheduler once it exists: returns non-zero when the current context may fault.</summary>
        public static delegate*<int> PreemptibleProbe;

        static partial void TouchBelow(byte* stackAddress);
    }
}
