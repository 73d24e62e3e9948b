using System.Runtime.InteropServices;

namespace Osv.Arch.X64.Interrupts
{
    /// <summary>
    /// GDT, TSS and IDT of a CPU. Every IDT gate names an IST stack, so no interrupt or exception
    /// ever runs on the interrupted stack (applications and musl use the red zone below %rsp):
    ///   IST1 exceptions (later: switched per thread, so page faults on lazy stacks can sleep)
    ///   IST2 double fault, NMI, machine check (a fault while handling a fault still has a stack)
    ///   IST3 external interrupts
    /// </summary>
    public static unsafe class DescriptorTables
    {
        public const ushort KernelCode = 0x08;
        public const ushort KernelData = 0x10;
        public const ushort TaskState = 0x18;

        public const int IstExceptions = 1;
        public const int IstCritical = 2;
        public const int IstInterrupts = 3;
        public const int IstStackSize = 16384;
        public const int GuardPageSize = 4096;
        private const int IstStackCount = 3;
        private const int TrapStubStride = 16;

        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_cpu0_idt_address();
        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_cpu0_gdt_address();
        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_cpu0_ist_stacks_address();
        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_trap_stubs();

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        private struct TablePointer
        {
            public ushort Limit;
            public ulong Base;
        }

        [StructLayout(LayoutKind.Sequential, Pack = 4)]
        private struct TaskStateSegment
        {
            public uint Reserved0;
            public ulong Rsp0, Rsp1, Rsp2;
            public ulong Reserved1;
            public ulong Ist1, Ist2, Ist3, Ist4, Ist5, Ist6, Ist7;
            public ulong Reserved2;
            public ushort Reserved3;
            public ushort IoMapBase;
        }

        /// <summary>Guard page of IST stack <paramref name="index"/> (1-based) of CPU 0: unmapped by the page tables.</summary>
        public static ulong IstGuardPage(int index) => (ulong)osv_cpu0_ist_stacks_address() + (ulong)((index - 1) * (GuardPageSize + IstStackSize));

        public static ulong IstStackBottom(int index) => IstGuardPage(index) + GuardPageSize;
        public static ulong IstStackTop(int index) => IstStackBottom(index) + IstStackSize;
        public static int IstCount => IstStackCount;

        /// <summary>Bytes of a CPU's GDT and TSS, as <see cref="LoadOnThisCpu"/> lays them out.</summary>
        public const int TablesSize = 256;
        private const int TssOffset = 64;

        /// <summary>The boot CPU's tables page (GDT, TSS, then its <see cref="Smp.CpuLocal"/>), in .bss.</summary>
        public static byte* BootCpuTables => osv_cpu0_gdt_address();

        /// <summary>Loads the boot CPU's tables. Runs first thing: before this, any fault triple-faults.</summary>
        public static void InitializeBootCpu()
        {
            BuildSharedIdt();
            LoadOnThisCpu(osv_cpu0_gdt_address(), IstStackTop(IstExceptions), IstStackTop(IstCritical), IstStackTop(IstInterrupts));
        }

        /// <summary>
        /// Fills this CPU's GDT (null, code, data, TSS) and TSS in <paramref name="tables"/>
        /// (<see cref="TablesSize"/> bytes), points its IST slots at this CPU's stacks, and loads them with the shared IDT.
        /// </summary>
        public static void LoadOnThisCpu(byte* tables, ulong exceptionStackTop, ulong criticalStackTop, ulong interruptStackTop)
        {
            ulong* gdt = (ulong*)tables;
            TaskStateSegment* tss = (TaskStateSegment*)(tables + TssOffset);
            *tss = default;
            tss->Ist1 = exceptionStackTop;
            tss->Ist2 = criticalStackTop;
            tss->Ist3 = interruptStackTop;
            tss->IoMapBase = (ushort)sizeof(TaskStateSegment);

            gdt[0] = 0;
            gdt[1] = 0x00AF9A000000FFFF; // 64-bit code
            gdt[2] = 0x00CF92000000FFFF; // data
            ulong tssBase = (ulong)tss;
            ulong tssLimit = (ulong)sizeof(TaskStateSegment) - 1;
            gdt[3] = (tssLimit & 0xFFFF) | ((tssBase & 0xFFFFFF) << 16) | (0x89UL << 40) | (((tssLimit >> 16) & 0xF) << 48) | (((tssBase >> 24) & 0xFF) << 56);
            gdt[4] = tssBase >> 32;

            TablePointer gdtPointer;
            gdtPointer.Limit = 5 * 8 - 1;
            gdtPointer.Base = (ulong)gdt;
            Cpu.LoadGdt(&gdtPointer);
            Cpu.ReloadSegments(KernelCode, KernelData);
            Cpu.LoadTaskRegister(TaskState);

            TablePointer idtPointer;
            idtPointer.Limit = 256 * 16 - 1;
            idtPointer.Base = (ulong)osv_cpu0_idt_address();
            Cpu.LoadIdt(&idtPointer);
        }

        /// <summary>One IDT serves every CPU: a gate names an IST slot, and each CPU's TSS fills the slots.</summary>
        private static void BuildSharedIdt()
        {
            ulong* idt = (ulong*)osv_cpu0_idt_address();
            byte* stubs = osv_trap_stubs();
            for (int vector = 0; vector < 256; vector++)
            {
                int ist = vector >= ExceptionVectors.FirstExternal ? IstInterrupts
                    : vector == 2 || vector == ExceptionVectors.DoubleFault || vector == 18 ? IstCritical
                    : IstExceptions;
                SetGate(idt, vector, (ulong)(stubs + vector * TrapStubStride), ist);
            }
        }

        private static void SetGate(ulong* idt, int vector, ulong handler, int ist)
        {
            // Interrupt gate (type 0xE): the CPU clears IF on entry.
            idt[vector * 2] = (handler & 0xFFFF) | ((ulong)KernelCode << 16) | ((ulong)(uint)ist << 32) | (0x8EUL << 40) | (((handler >> 16) & 0xFFFF) << 48);
            idt[vector * 2 + 1] = handler >> 32;
        }
    }
}
