using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Time;

namespace Osv.Arch.X64.Smp
{
    /// <summary>
    /// Starts the other CPUs (INIT, then start-up IPIs at the trampoline) one at a time through a
    /// mailbox page. Each loads its own GDT/TSS (its own IST stacks), the shared IDT and its %fs block,
    /// enables its local APIC, reports in, and enters the scheduler.
    /// </summary>
    public static unsafe class SecondaryCpus
    {
        public const ulong TrampolinePage = 0x8000;
        public const ulong MailboxPage = 0x9000;

        [StructLayout(LayoutKind.Sequential)]
        private struct Mailbox
        {
            public ulong Cr3;
            public ulong StackTop;
            public ulong Entry;
            public ulong AreaBase;
            public ulong Canary;
            public ulong CpuIndex;
            public int Alive;
        }

        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_ap_trampoline_start_address();
        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_ap_trampoline_end_address();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_ap_long_mode_address();

        private static int s_online = 1; // the boot CPU

        private struct CpuTable
        {
            public fixed ulong Locals[Acpi.ProcessorTable.MaxProcessors];
        }

        private static CpuTable s_cpus;

        public static int OnlineCount => Volatile.Read(ref s_online);

        /// <summary>
        /// Where a started CPU goes once it is set up (the scheduler registers its per-CPU loop before
        /// the CPUs start); it never returns. Interrupts are off on entry.
        /// </summary>
        public static delegate*<void> SchedulerEntry;

        /// <summary>The per-CPU block of online CPU <paramref name="index"/> (0 is the boot CPU), or null.</summary>
        public static CpuLocal* Cpu(int index)
        {
            if (index < 0 || index >= Acpi.ProcessorTable.MaxProcessors)
                return null;
            fixed (CpuTable* table = &s_cpus)
                return (CpuLocal*)table->Locals[index];
        }

        private static void Publish(CpuLocal* local)
        {
            fixed (CpuTable* table = &s_cpus)
                table->Locals[local->Index] = (ulong)local;
        }

        /// <summary>Sets up the boot CPU's per-CPU block (index 0).</summary>
        public static void InitializeBootCpu(uint apicId) => Publish(CpuLocal.InitializeThisCpu(DescriptorTables.BootCpuTables, 0, apicId));

        /// <summary>Copies the real-mode trampoline below 1 MiB. Must run while that page is still writable.</summary>
        public static void InstallTrampoline()
        {
            byte* source = osv_ap_trampoline_start_address();
            ulong length = (ulong)(osv_ap_trampoline_end_address() - source);
            byte* destination = (byte*)TrampolinePage;
            for (ulong i = 0; i < length; i++)
                destination[i] = source[i];
        }

        /// <summary>
        /// Starts the CPU with <paramref name="apicId"/> on <paramref name="area"/>; false if it does not
        /// report in within about a second (a host under load may deschedule a vCPU that long).
        /// </summary>
        public static bool Start(uint apicId, CpuArea area, ulong cr3, ulong canary)
        {
            int index = OnlineCount;
            if (index >= Acpi.ProcessorTable.MaxProcessors)
                return false;
            Mailbox* mailbox = (Mailbox*)MailboxPage;
            mailbox->Cr3 = cr3;
            mailbox->StackTop = area.OwnStackTop;
            mailbox->Entry = osv_ap_long_mode_address();
            mailbox->AreaBase = area.Base;
            mailbox->Canary = canary;
            mailbox->CpuIndex = (ulong)index;
            Volatile.Write(ref mailbox->Alive, 0);

            byte vector = (byte)(TrampolinePage >> 12);
            LocalApic.SendInit(apicId);
            TscClock.SpinNanoseconds(10000);
            for (int attempt = 0; attempt < 2; attempt++)
            {
                LocalApic.SendStartup(apicId, vector);
                ulong deadline = TscClock.NanosecondsSinceBoot + (attempt == 0 ? 10000000UL : 1000000000UL);
                while (TscClock.NanosecondsSinceBoot < deadline)
                {
                    if (Volatile.Read(ref mailbox->Alive) != 0)
                        return true;
                    X64.Cpu.Pause();
                }
            }
            return false;
        }

        [KernelThreadOnly] // runs on the CPU's own stack, allocated and populated up front
        [UnmanagedCallersOnly(EntryPoint = "osv_ap_main")]
        [InternalEntryPoint("Boot/ap_trampoline.asm")]
        private static void SecondaryMain(ulong mailboxAddress)
        {
            Mailbox* mailbox = (Mailbox*)mailboxAddress;
            CpuArea area = new CpuArea(mailbox->AreaBase);
            DescriptorTables.LoadOnThisCpu((byte*)area.TablesPage, area.IstTop(DescriptorTables.IstExceptions),
                area.IstTop(DescriptorTables.IstCritical), area.IstTop(DescriptorTables.IstInterrupts));
            if (!ThreadControlBlock.InitializeThisCpu((byte*)area.TlsArea, area.TlsAreaSize, mailbox->Canary))
                X64.Cpu.HaltForever(); // the boot CPU sees no report and says so
            LocalApic.EnableOnThisCpu();
            SystemCallEntry.EnableOnThisCpu();
            Publish(CpuLocal.InitializeThisCpu((byte*)area.TablesPage, (int)mailbox->CpuIndex, LocalApic.CurrentApicId));
            Interlocked.Increment(ref s_online);
            Volatile.Write(ref mailbox->Alive, 1);
            if (SchedulerEntry != null)
                SchedulerEntry();
            // No scheduler: halted, but with interrupts on, so IPIs reach it.
            while (true)
                X64.Cpu.EnableInterruptsAndHalt();
        }
    }
}
