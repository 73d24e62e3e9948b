using Osv.Annotations;
using Osv.Arch.X64.Memory;

namespace Osv.Arch.X64
{
    /// <summary>
    /// The run-time form of the stack rules (OSv's lazy_stack_invariant), compiled into the test image
    /// only: when code that could still take a page fault disables interrupts or preemption, the page
    /// below its stack pointer must already be mapped — else a fault would come where none is allowed.
    /// The analyzers prove this at compile time; this catches what they cannot see (assembly, callers
    /// through function pointers).
    /// </summary>
    public static unsafe class LazyStackInvariant
    {
        /// <summary>
        /// Whether the checks run: on in the test image (benchmarks switch them off, they cost a page-table
        /// walk per disable); a constant false in the default image, which compiles them away.
        /// </summary>
#if OSV_TEST_IMAGE
        public static bool Enabled = true;
#else
        public const bool Enabled = false;
#endif

        private static long s_checks;

        /// <summary>How many times a disable was checked (the test image shows the checks really run).</summary>
        public static long Checks => System.Threading.Volatile.Read(ref s_checks);

        /// <summary>Called right before interrupts or preemption go off; panics if the next stack page is still lazy.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static void VerifyBeforeDisable()
        {
            if (!Enabled || !Cpu.InterruptsEnabled)
                return;
            if (Stack.PreemptibleProbe != null && Stack.PreemptibleProbe() == 0)
                return; // preemption is already off: an earlier disable was the one checked
            System.Threading.Interlocked.Increment(ref s_checks);
            byte marker = 0;
            ulong below = ((ulong)&marker - (ulong)Stack.PageSize) & ~((ulong)Stack.PageSize - 1);
            if ((KernelPageTables.Translate(below) & KernelPageTables.LazyMarker) != 0)
                Internal.Runtime.RuntimeFailure.FailFast("lazy stack invariant: disabling with the next stack page unmapped (a missing Stack.PrefaultNextPage)");
        }
    }
}
