using System.Runtime.InteropServices;
using System.Threading;

namespace Osv.Arch.X64.Smp
{
    /// <summary>
    /// Per-CPU data, reached through %gs (the application owns %fs). It sits in each CPU's tables page,
    /// after its GDT and TSS, so the boot CPU's static tables and every <see cref="CpuArea"/> carry one.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct CpuLocal
    {
        public const int OffsetInTablesPage = 192;
        private const uint MsrGsBase = 0xC0000101;

        [DllImport("*"), SuppressGCTransition] private static extern CpuLocal* osv_cpu_local();
        [DllImport("*"), SuppressGCTransition] private static extern void* osv_current_thread();

        private CpuLocal* _self;
        public int Index;
        public uint ApicId;
        public long InterprocessorInterrupts;
        /// <summary>The scheduler's running thread on this CPU (offset 24: Boot/cpu.asm reads it through %gs).</summary>
        public void* CurrentThread;
        /// <summary>The running thread's syscall stack (offset 32: Boot/syscall.asm), 0 if it has none.</summary>
        public ulong SyscallStackTop;
        /// <summary>The caller's rsp while the syscall entry switches stacks (offset 40).</summary>
        public ulong SyscallScratch;
        /// <summary>TLB flushes this CPU did on request (<see cref="InterprocessorInterrupts.FlushTlbEverywhere"/> waits on it).</summary>
        public long TlbFlushes;

        /// <summary>This CPU's block (valid after <see cref="InitializeThisCpu"/> ran on it).</summary>
        public static CpuLocal* Current => osv_cpu_local();

        /// <summary>This CPU's running thread, read atomically with respect to migration.</summary>
        public static void* CurrentThreadPointer => osv_current_thread();

        public static CpuLocal* InitializeThisCpu(byte* tablesPage, int index, uint apicId)
        {
            CpuLocal* local = (CpuLocal*)(tablesPage + OffsetInTablesPage);
            local->_self = local;
            local->Index = index;
            local->ApicId = apicId;
            local->InterprocessorInterrupts = 0;
            local->CurrentThread = null;
            local->SyscallStackTop = 0;
            local->SyscallScratch = 0;
            local->TlbFlushes = 0;
            Cpu.WriteMsr(MsrGsBase, (ulong)local);
            return local;
        }

        public long InterprocessorInterruptCount => Volatile.Read(ref InterprocessorInterrupts);
    }
}
