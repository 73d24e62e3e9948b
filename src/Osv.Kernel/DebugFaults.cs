using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Osv.Kernel
{
    /// <summary>
    /// `--debug-fault=<kind>`: raises a CPU fault on purpose so tests can check the panic path
    /// (register dump, symbolized backtrace, exit status) — and that a triple fault is never success.
    /// </summary>
    internal static unsafe class DebugFaults
    {
        [DllImport("*"), SuppressGCTransition] private static extern void osv_ud2();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_triple_fault();

        // Volatile so the compiler cannot fold the faulting operations away.
        private static int s_zero = 0;
        private static ulong s_nonCanonical = 0x8000_0000_0000_0000UL;

        public static void Trigger(string kind)
        {
            if (kind == "page")
                TriggerPageFault();
            else if (kind == "ud")
                TriggerInvalidOpcode();
            else if (kind == "gp")
                TriggerGeneralProtection();
            else if (kind == "divide")
                TriggerDivideError();
            else if (kind == "triple")
                osv_triple_fault();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TriggerPageFault()
        {
            // Page 0 is never mapped: a write there is a page fault with cr2 = 0.
            System.Threading.Volatile.Write(ref *(int*)(nuint)System.Threading.Volatile.Read(ref s_zero), 1);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TriggerInvalidOpcode() => osv_ud2();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TriggerGeneralProtection()
        {
            // A non-canonical address faults with #GP, not #PF.
            ulong address = System.Threading.Volatile.Read(ref s_nonCanonical);
            System.Threading.Volatile.Write(ref *(int*)address, 1);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int TriggerDivideError()
        {
            int zero = System.Threading.Volatile.Read(ref s_zero);
            return DivideInHardware(100, zero);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int DivideInHardware(int dividend, int divisor) => osv_divide(dividend, divisor);

        [DllImport("*"), SuppressGCTransition] private static extern int osv_divide(int dividend, int divisor);
    }
}
