using Osv.Annotations;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Osv.Kernel
{
    /// <summary>
    /// `--debug-fault=<kind>`: raises a CPU fault on purpose so tests can check the panic path
    /// (register dump, symbolized backtrace, exit status) — and that a triple fault is never success.
    /// </summary>
    [KernelThreadOnly] // runs from the boot sequence
    internal static unsafe class DebugFaults
    {
        [DllImport("*"), SuppressGCTransition] private static extern void DebugFault_InvalidOpcode();
        [DllImport("*"), SuppressGCTransition] private static extern void DebugFault_TripleFault();

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
                DebugFault_TripleFault();
            else if (kind == "stack-overflow")
                Recurse(0);
            else if (kind == "write-text")
                WriteToOwnCode();
            else if (kind == "throw")
                ThrowOnPurpose();
            else if (kind == "exec-data")
                ExecuteData();
            else if (kind == "lazy-stack-overflow")
                OverflowLazyStack();
            else if (kind == "stack-rule")
                BreakTheStackRule();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TriggerPageFault()
        {
            // Page 0 is never mapped: a write there is a page fault with cr2 = 0.
            System.Threading.Volatile.Write(ref *(int*)(nuint)System.Threading.Volatile.Read(ref s_zero), 1);
        }

        // Each frame keeps a buffer alive, so the recursion reaches the guard page under the boot stack.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Recurse(int depth)
        {
            byte* buffer = stackalloc byte[512];
            buffer[depth & 511] = (byte)depth;
            return Recurse(depth + 1) + buffer[(depth * 7) & 511];
        }

        // W^X: the kernel's code is mapped read + execute, so this store faults.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void WriteToOwnCode()
        {
            delegate*<void> code = &WriteToOwnCode;
            System.Threading.Volatile.Write(ref *(byte*)code, 0xC3);
        }

        private static void OverflowLazyStack()
        {
            Osv.Core.Threads.KernelThread? thread = Osv.Core.Threads.Scheduler.Create(&RecurseOnLazyStack, null, 64 * 1024);
            if (thread != null)
                Osv.Core.Threads.Scheduler.Join(thread);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RecurseOnLazyStack(void* argument) => Recurse(0);

        /// <summary>
        /// Disables interrupts on a fresh lazy stack without pre-faulting: the test image's run-time
        /// check (LazyStackInvariant) must stop it. The default image has no such check and carries on.
        /// </summary>
        private static void BreakTheStackRule()
        {
            Osv.Core.Threads.KernelThread? thread = Osv.Core.Threads.Scheduler.Create(&DisableWithoutPrefault, null, 64 * 1024);
            if (thread != null)
                Osv.Core.Threads.Scheduler.Join(thread);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void DisableWithoutPrefault(void* argument)
        {
#pragma warning disable OSV1001 // the violation is the point: --debug-fault=stack-rule shows the run-time check catching what the analyzer would
            bool wereEnabled = Osv.Arch.X64.Cpu.SaveAndDisableInterrupts();
#pragma warning restore OSV1001
            Osv.Arch.X64.Cpu.RestoreInterrupts(wereEnabled);
        }

        // W^X the other way: data is mapped no-execute, so jumping to a `ret` stored there faults.
        private static ulong s_returnInstruction = 0xC3;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ExecuteData()
        {
            fixed (ulong* code = &s_returnInstruction)
                ((delegate*<void>)code)();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowOnPurpose() => throw new System.InvalidOperationException("--debug-fault=throw: thrown on purpose");

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TriggerInvalidOpcode() => DebugFault_InvalidOpcode();

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
        private static int DivideInHardware(int dividend, int divisor) => DebugFault_Divide(dividend, divisor);

        [DllImport("*"), SuppressGCTransition] private static extern int DebugFault_Divide(int dividend, int divisor);
    }
}
