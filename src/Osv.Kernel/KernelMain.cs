using System;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Acpi;
using Osv.Arch.X64.Boot;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Memory;
using Osv.Arch.X64.Smp;
using Osv.Arch.X64.Time;
using Osv.Core.Boot;
using Osv.Core.Console;
using Osv.Core.Diagnostics;
using Osv.Core.Time;

namespace Osv.Kernel
{
    /// <summary>
    /// The boot sequence, from the assembly entry to the VM's exit status. Each step may only use what
    /// the steps before it set up: no fault handling before the IDT, no `new` before the heap, no
    /// reference-type statics before module initialization.
    /// </summary>
    [KernelThreadOnly] // the boot sequence runs on the boot stack, populated in .bss
    public static unsafe class KernelMain
    {
        public const string Version = "v0.1.0";

        [UnmanagedCallersOnly(EntryPoint = "osv_kernel_main")]
        [InternalEntryPoint("Boot/boot.asm")]
        private static void Main(uint startInfoAddress, ulong bootTsc)
        {
            Uart16550.Initialize();
            DescriptorTables.InitializeBootCpu();
            TrapDispatcher.RegisterFatalHandler(&Panic.OnFatalTrap);
            RuntimeFailure.RegisterHandler(&Panic.FailFromRuntime);
            KnownStacks.Register(BootImage.BootStackBottom, BootImage.BootStackTop);
            for (int ist = 1; ist <= DescriptorTables.IstCount; ist++)
                KnownStacks.Register(DescriptorTables.IstStackBottom(ist), DescriptorTables.IstStackTop(ist));
            Panic.UseSymbols(
                new KernelSymbolTable((byte*)BootImage.SymbolsStart, (int)(BootImage.SymbolsEnd - BootImage.SymbolsStart)),
                new CallFrameUnwinder((byte*)BootImage.UnwindInfoStart, (nuint)(BootImage.UnwindInfoEnd - BootImage.UnwindInfoStart), &KnownStacks.IsReadable),
                BootImage.TextStart,
                BootImage.TextEnd);
            if (!ThreadControlBlock.InitializeBootCpu(*BootImage.SecurityCookie))
                Panic.Fail("the TLS template does not fit the boot CPU's thread control block");
            SystemCallEntry.EnableOnThisCpu();

            KernelConsole.Write("OSv# ");
            KernelConsole.WriteLine(Version);

            bool calibrated = TscClock.Calibrate(bootTsc);
            ulong clockReady = TscClock.NanosecondsSinceBoot;

            if (!PvhStartInfo.TryRead((void*)startInfoAddress, out PvhStartInfo startInfo))
                Panic.Fail("no PVH start_info: boot this kernel with qemu -kernel (PVH entry)");
            if (KernelMemory.Initialize(startInfo) == 0)
                Panic.Fail("the memory map has no usable memory above the kernel image");
            System.Runtime.ObjectAllocator.Register(&KernelMemory.AllocateZeroed, &KernelMemory.Free, &KernelMemory.Reallocate);
            if (StartupCodeHelpers.InitializeModules(BootImage.ModuleHeaders, BootImage.ModuleCount) != 0)
                Panic.Fail("malformed ReadyToRun module header");
            ulong memoryReady = TscClock.NanosecondsSinceBoot;

            // The loader's start_info may sit in page 0, which the kernel's own page tables leave
            // unmapped: copy out what later stages need first.
            string commandLine = ToText(startInfo.CommandLine);
            MemoryRange[] memoryMap = CopyMemoryMap(startInfo);
            // ACPI tables live in reserved memory the kernel does not map: read the CPU list now.
            if (!ProcessorTable.TryRead((byte*)startInfo.RsdpAddress, out ProcessorTable processors))
                processors = default;
            if (!Osv.Drivers.Pci.McfgTable.TryParse(Osv.Arch.X64.Acpi.AcpiTables.Find((byte*)startInfo.RsdpAddress, "MCFG"), 1 << 16, out Osv.Drivers.Pci.McfgTable pciWindows))
                pciWindows = default; // no ECAM (microvm has no PCI at all): legacy configuration ports
            SecondaryCpus.InstallTrampoline();
            BuildPageTables(memoryMap);
            ulong pagingReady = TscClock.NanosecondsSinceBoot;

            BootChart chart = BootChart.Create();
            chart.Mark("TSC calibrated", clockReady);
            chart.Mark("memory initialized", memoryReady);
            chart.Mark("page tables (W^X) active", pagingReady);

            LocalApic.Initialize();
            TrapDispatcher.Register(LocalApic.TimerVector, &LocalApic.OnTimer);
            SecondaryCpus.InitializeBootCpu(LocalApic.CurrentApicId);
            InterprocessorInterrupts.Initialize();
            if (!CheckTimerInterrupt())
                Panic.Fail("the local APIC timer interrupt never arrived");
            if (!KernelTimers.Initialize(processors.Count, &KernelMemory.AllocateZeroed, &KernelMemory.Free))
                Panic.Fail("out of memory for the timer queues");
            var pages = new Osv.Core.Memory.PageSource(&KernelMemory.AllocatePages, &KernelMemory.FreePages);
            if (!Osv.Core.Threads.Scheduler.Initialize(pages, processors.Count))
                Panic.Fail("out of memory starting the scheduler");
            Osv.Core.Memory.ApplicationMemory.Initialize(pages, &KernelMemory.AllocateZeroed, &KernelMemory.Free);
            chart.Mark("APIC timer interrupts", TscClock.NanosecondsSinceBoot);
            // Before the other CPUs run: sizing a BAR turns the device's decoding off, and QEMU's TCG
            // (7.2) can crash when that remaps memory while another vCPU executes.
            Storage.BlockDevices.Discover(pciWindows, pages);
            chart.Mark("devices discovered", TscClock.NanosecondsSinceBoot);
            StartSecondaryCpus(processors);
            chart.Mark("SMP launched", TscClock.NanosecondsSinceBoot);

            CommandLineResult parsed = CommandLineParser.Parse(commandLine);
            chart.Mark("command line parsed", TscClock.NanosecondsSinceBoot);
            if (parsed.Succeeded)
            {
                FileSystems.FileSystemStartup.Start(parsed.Options!, Osv.Core.Threads.Scheduler.CpuCount);
                Applications.ApplicationRunner.UseFileReader(&FileSystems.WholeFileReader.Read);
                Osv.Core.Elf.DynamicLinker.UseFileReader(&FileSystems.WholeFileReader.ReadPath);
                chart.Mark("file systems mounted", TscClock.NanosecondsSinceBoot);
            }

            KernelConsole.Write("Booted up in ");
            KernelConsole.WriteMilliseconds(TscClock.NanosecondsSinceBoot);
            KernelConsole.WriteLine(calibrated ? " ms" : " ms (clock not calibrated: no PIT)");
            KernelConsole.Write("Cmdline: ");
            KernelConsole.WriteLine(commandLine);

            if (!parsed.Succeeded)
            {
                KernelConsole.Write("Error: ");
                KernelConsole.WriteLine(parsed.Error!);
                KernelConsole.WriteLine("Use --help to list the options.");
                Machine.Exit(1);
            }
            KernelOptions options = parsed.Options!;
            Osv.Core.Linux.LinuxSystemCalls.Initialize(options.Verbose, CmosClock.ReadUnixSeconds());
            FileSystems.FileSystemCalls.Register();
            SystemCalls.KernelSystemCalls.Register();
            if (options.Bootchart)
                PrintBootChart(chart);
            if (options.Verbose)
                PrintMachineReport(memoryMap);
            if (options.ShowHelp)
            {
                KernelConsole.WriteLine(CommandLineParser.HelpText);
                Machine.Exit(0);
            }
#if OSV_TEST_IMAGE
            if (options.Benchmark != null)
            {
                LazyStackInvariant.Enabled = false; // measure the kernel, not the debug check
                if (options.Benchmark == "storage")
                    Benchmarks.StorageBenchmarks.Run();
                else
                    Benchmarks.ThreadBenchmarks.Run();
                Machine.Exit(0);
            }
            if (options.TestSuite != null)
                Machine.Exit(KernelTests.TestSuites.Run(options.TestSuite) == 0 ? 0 : 1);
            if (options.SelfTest)
                Machine.Exit(SelfTest.RuntimeSelfTest.Run() == 0 ? 0 : 1);
#else
            if (options.Benchmark != null || options.TestSuite != null || options.SelfTest)
            {
                KernelConsole.WriteLine("Error: --test, --selftest and --bench exist only in the test image: ./osv build --tests, ./osv run --tests");
                Machine.Exit(2);
            }
#endif
            if (options.DebugFault != null)
            {
                DebugFaults.Trigger(options.DebugFault);
                Panic.Fail("--debug-fault: the fault did not happen");
            }
            Osv.Core.Linux.ProgramExitStatus.ExitVm(Applications.ApplicationRunner.Run(options));
        }

        private static string ToText(ReadOnlySpan<byte> ascii)
        {
            char[] characters = new char[ascii.Length];
            for (int i = 0; i < ascii.Length; i++)
                characters[i] = (char)ascii[i];
            string text = new string(new ReadOnlySpan<char>(characters));
            Osv.Runtime.ObjectMemory.Free(characters);
            return text;
        }

        /// <summary>Replaces the boot code's identity map with W^X tables and guard pages.</summary>
        private static MemoryRange[] CopyMemoryMap(PvhStartInfo startInfo)
        {
            MemoryRange[] ranges = new MemoryRange[startInfo.MemoryRangeCount];
            for (int i = 0; i < ranges.Length; i++)
                ranges[i] = startInfo.GetMemoryRange(i);
            return ranges;
        }

        private static void BuildPageTables(MemoryRange[] memoryMap)
        {
            if (!KernelPageTables.Begin(&KernelMemory.AllocatePageForTables))
                Panic.Fail("out of memory for page tables");
            bool ok = KernelPageTables.Reserve4K(0)
                && KernelPageTables.Reserve4K(BootImage.BootStackGuard);
            for (int ist = 1; ist <= DescriptorTables.IstCount; ist++)
                ok = ok && KernelPageTables.Reserve4K(DescriptorTables.IstGuardPage(ist));
            ok = ok
                // The secondary CPUs' real-mode trampoline runs from low memory: executable, not writable.
                && KernelPageTables.Map4K(SecondaryCpus.TrampolinePage, PageTableEntry.KernelText)
                && KernelPageTables.Map4K(SecondaryCpus.MailboxPage, PageTableEntry.KernelData)
                && MapEachPage(BootImage.TextStart, BootImage.TextEnd, PageTableEntry.KernelText)
                && MapEachPage(BootImage.ReadOnlyStart, BootImage.ReadOnlyEnd, PageTableEntry.KernelReadOnly)
                && MapEachPage(BootImage.DataStart, BootImage.DataEnd, PageTableEntry.KernelData)
                && MapEachPage(BootImage.SymbolsStart, (BootImage.SymbolsEnd + 4095) & ~4095UL, PageTableEntry.KernelReadOnly)
                && MapEachPage(BootImage.BootfsStart & ~4095UL, (BootImage.BootfsEnd + 4095) & ~4095UL, PageTableEntry.KernelReadOnly)
                // Low memory holds the PVH start_info, memory map and command line.
                && KernelPageTables.MapRange(0x1000, BootImage.ImageStart, PageTableEntry.KernelData);
            for (int i = 0; ok && i < memoryMap.Length; i++)
            {
                MemoryRange range = memoryMap[i];
                if (range.IsUsable)
                    ok = KernelPageTables.MapRange(range.Start, range.Start + range.Length, PageTableEntry.KernelData);
            }
            ok = ok && KernelPageTables.Map4K(LocalApic.DefaultBase, PageTableEntry.DeviceMemory);
            if (!ok)
                Panic.Fail("out of memory for page tables");
            KernelPageTables.Activate();
        }

        private static bool MapEachPage(ulong start, ulong end, ulong flags)
        {
            for (ulong page = start; page < end; page += 4096)
            {
                if (KernelPageTables.Translate(page) == 0 && !KernelPageTables.Map4K(page, flags))
                    return false;
            }
            return true;
        }

        /// <summary>Starts every other CPU the ACPI tables list, each with its own stacks behind guard pages.</summary>
        private static void StartSecondaryCpus(ProcessorTable processors)
        {
            uint self = LocalApic.CurrentApicId;
            for (int i = 0; i < processors.Count; i++)
            {
                uint apicId = processors.ApicId(i);
                if (apicId == self)
                    continue;
                void* pages = KernelMemory.AllocatePages(CpuArea.Pages);
                CpuArea area = new CpuArea((ulong)pages);
                bool ok = pages != null;
                for (int guard = 0; ok && guard < 4; guard++)
                    ok = KernelPageTables.Reserve4K(area.GuardPage(guard));
                if (!ok)
                {
                    KernelConsole.WriteLine("warning: out of memory for secondary CPUs");
                    return;
                }
                KernelPageTables.FlushAll();
                for (int stack = 0; stack < 4; stack++)
                    KnownStacks.Register(area.StackBottom(stack), area.StackTop(stack));
                if (!SecondaryCpus.Start(apicId, area, KernelPageTables.Root, *BootImage.SecurityCookie))
                {
                    KernelConsole.Write("warning: the CPU with APIC id ");
                    KernelConsole.WriteDecimal(apicId);
                    KernelConsole.WriteLine(" did not start; starting no further CPUs");
                    // It may still report in late: then it must find the mailbox as it was left for it.
                    break;
                }
            }
            // A started CPU reports in before it joins the scheduler: wait (bounded) until all have.
            ulong deadline = TscClock.NanosecondsSinceBoot + 1000000000UL;
            while (Osv.Core.Threads.Scheduler.CpuCount < SecondaryCpus.OnlineCount && TscClock.NanosecondsSinceBoot < deadline)
                Cpu.Pause();
        }

        /// <summary>Arms a 100 µs one-shot and waits (bounded) for the interrupt to arrive.</summary>
        private static bool CheckTimerInterrupt()
        {
            ulong deadline = TscClock.NanosecondsSinceBoot + 3000000000UL; // generous: a loaded host can stall a vCPU for long
            LocalApic.ArmOneShot(100000);
            Cpu.EnableInterrupts();
            while (LocalApic.TimerInterrupts == 0 && TscClock.NanosecondsSinceBoot < deadline)
                Cpu.Pause();
            Cpu.DisableInterrupts();
            return LocalApic.TimerInterrupts > 0;
        }

        /// <summary>--verbose: the memory map, memory in use and the calibrated clocks.</summary>
        private static void PrintMachineReport(MemoryRange[] memoryMap)
        {
            foreach (MemoryRange range in memoryMap)
            {
                KernelConsole.Write("memory map: ");
                KernelConsole.WriteHexShort(range.Start);
                KernelConsole.Write("-");
                KernelConsole.WriteHexShort(range.Start + range.Length);
                KernelConsole.WriteLine(range.IsUsable ? " usable" : " reserved");
            }
            KernelConsole.Write("memory: ");
            KernelConsole.WriteDecimal(KernelMemory.TotalBytes / 1024);
            KernelConsole.Write(" KiB managed, ");
            KernelConsole.WriteDecimal((KernelMemory.TotalBytes - KernelMemory.FreeBytes) / 1024);
            KernelConsole.Write(" KiB in use (");
            KernelConsole.WriteDecimal(KernelPageTables.TablePages);
            KernelConsole.Write(" page-table pages, ");
            KernelConsole.WriteDecimal(KernelMemory.LiveAllocations);
            KernelConsole.WriteLine(" heap blocks)");
            KernelConsole.Write("threads: ");
            KernelConsole.WriteDecimal((ulong)Osv.Core.Threads.Scheduler.LiveThreads);
            KernelConsole.WriteLine();
            KernelConsole.Write("cpus: ");
            KernelConsole.WriteDecimal((ulong)SecondaryCpus.OnlineCount);
            KernelConsole.WriteLine(" online");
            KernelConsole.Write("clock: TSC ");
            KernelConsole.WriteDecimal(TscClock.TicksPerSecond / 1000);
            KernelConsole.Write(" kHz (PIT-calibrated), APIC timer ");
            KernelConsole.WriteDecimal(LocalApic.TimerFrequency / 1000);
            KernelConsole.WriteLine(" kHz");
        }

        private static void PrintBootChart(BootChart chart)
        {
            ulong previous = 0;
            for (int i = 0; i < chart.Count; i++)
            {
                ulong time = chart.StageTime(i);
                KernelConsole.Write((byte)'\t');
                KernelConsole.Write(chart.StageName(i));
                KernelConsole.Write(": ");
                KernelConsole.WriteMilliseconds(time);
                KernelConsole.Write("ms, (+");
                KernelConsole.WriteMilliseconds(time - previous);
                KernelConsole.WriteLine("ms)");
                previous = time;
            }
        }
    }
}
