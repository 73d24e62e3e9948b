using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Arch.X64
{
    /// <summary>Privileged instructions, each a tiny assembly function (Boot/cpu.asm) called directly.</summary>
    public static unsafe class Cpu
    {
        public const uint MsrFsBase = 0xC0000100;
        public const uint MsrApicBase = 0x1B;

        [DllImport("*"), SuppressGCTransition] private static extern void osv_outb(ushort port, byte value);
        [DllImport("*"), SuppressGCTransition] private static extern void osv_outl(ushort port, uint value);
        [DllImport("*"), SuppressGCTransition] private static extern byte osv_inb(ushort port);
        [DllImport("*"), SuppressGCTransition] private static extern void osv_outw(ushort port, ushort value);
        [DllImport("*"), SuppressGCTransition] private static extern ushort osv_inw(ushort port);
        [DllImport("*"), SuppressGCTransition] private static extern uint osv_inl(ushort port);
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_rdtsc();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_rdmsr(uint msr);
        [DllImport("*"), SuppressGCTransition] private static extern void osv_wrmsr(uint msr, ulong value);
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_read_cr0();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_read_cr2();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_invlpg(ulong address);
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_read_cr3();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_write_cr3(ulong value);
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_read_cr4();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_read_rflags();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_lgdt(void* pointer);
        [DllImport("*"), SuppressGCTransition] private static extern void osv_lidt(void* pointer);
        [DllImport("*"), SuppressGCTransition] private static extern void osv_ltr(ushort selector);
        [DllImport("*"), SuppressGCTransition] private static extern void osv_reload_segments(ulong codeSelector, ulong dataSelector);
        [DllImport("*"), SuppressGCTransition] private static extern void osv_cli();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_sti();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_hlt();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_sti_hlt();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_pause();
        [DllImport("*"), SuppressGCTransition] private static extern void osv_cpuid(uint leaf, uint subleaf, uint* registers);

        public static void Out8(ushort port, byte value) => osv_outb(port, value);
        public static void Out32(ushort port, uint value) => osv_outl(port, value);
        public static byte In8(ushort port) => osv_inb(port);
        public static void Out16(ushort port, ushort value) => osv_outw(port, value);
        public static ushort In16(ushort port) => osv_inw(port);
        public static uint In32(ushort port) => osv_inl(port);
        public static ulong ReadTimestampCounter() => osv_rdtsc();
        public static ulong ReadMsr(uint msr) => osv_rdmsr(msr);
        public static void WriteMsr(uint msr, ulong value) => osv_wrmsr(msr, value);
        public static ulong ReadCr0() => osv_read_cr0();
        public static ulong ReadCr2() => osv_read_cr2();
        public static void InvalidatePage(ulong address) => osv_invlpg(address);
        public static ulong ReadCr3() => osv_read_cr3();
        public static void WriteCr3(ulong value) => osv_write_cr3(value);
        public static ulong ReadCr4() => osv_read_cr4();
        public static void LoadGdt(void* pointer) => osv_lgdt(pointer);
        public static void LoadIdt(void* pointer) => osv_lidt(pointer);
        public static void LoadTaskRegister(ushort selector) => osv_ltr(selector);
        public static void ReloadSegments(ushort codeSelector, ushort dataSelector) => osv_reload_segments(codeSelector, dataSelector);
        [DisablesInterrupts]
        public static void DisableInterrupts()
        {
            LazyStackInvariant.VerifyBeforeDisable();
            osv_cli();
        }

        /// <summary>Disables interrupts and returns whether they were on, for <see cref="RestoreInterrupts"/>.</summary>
        [DisablesInterrupts]
        public static bool SaveAndDisableInterrupts()
        {
            bool wereEnabled = InterruptsEnabled;
            LazyStackInvariant.VerifyBeforeDisable();
            osv_cli();
            return wereEnabled;
        }

        /// <summary>Ends a region begun by <see cref="SaveAndDisableInterrupts"/>: re-enables only if they were on.</summary>
        [EnablesInterrupts]
        public static void RestoreInterrupts(bool wereEnabled)
        {
            if (wereEnabled)
                osv_sti();
        }
        [EnablesInterrupts] public static void EnableInterrupts() => osv_sti();
        [EnablesInterrupts] public static void EnableInterruptsAndHalt() => osv_sti_hlt();
        public static void Pause() => osv_pause();
        public static bool InterruptsEnabled => (osv_read_rflags() & (1 << 9)) != 0;

        public static void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx)
        {
            uint* registers = stackalloc uint[4];
            osv_cpuid(leaf, subleaf, registers);
            eax = registers[0];
            ebx = registers[1];
            ecx = registers[2];
            edx = registers[3];
        }

        /// <summary>Stops this CPU for good (interrupts off, then halt). Nothing runs after it, so no region is opened.</summary>
        public static void HaltForever()
        {
            while (true)
            {
                osv_cli();
                osv_hlt();
            }
        }
    }
}
