using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Boot;
using Osv.Core.Console;
using Osv.Core.Elf;
using Osv.Core.Memory;
using Osv.Core.Threads;
using Osv.Kernel.Libc.Process;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Stdio;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Applications
{
    /// <summary>
    /// Runs the command line's programs: read the file, load it, start its main thread on a lazy 8 MiB
    /// stack with argv, envp and the auxiliary vector. A command ended by `;` (or the last one) is
    /// waited for before the next starts; one ended by `&amp;` runs in the background while the list
    /// goes on (a reaper thread finishes it when it ends), and the VM waits for it at the end, as OSv does. A program's status (exit_group, its
    /// main thread's exit, or 128+signal when a signal ended it) is its command's; as in a shell and in
    /// OSv the next command runs whatever the status was. The VM's status is the last waited-for
    /// command's (with only background commands: the last of those). A program that cannot be started
    /// (missing, malformed, unresolved symbols) ends the list with status 1, as OSv powers off on a
    /// launch error (background programs already running are still waited for).
    /// <para>
    /// Programs share the process (one pid, signal dispositions, file table); each has its own threads,
    /// exit status, mappings and break. A program linked by the kernel (against its C library and
    /// dynamic linker, whose state is one per kernel) runs alone: a command after a background linked
    /// program waits for it to end, and says so. Static programs (musl, glibc static PIEs) run together.
    /// </para>
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class ApplicationRunner
    {
        private const ulong MainStackSize = 8UL << 20; // Linux's default RLIMIT_STACK
        private const int InitialStackBlock = 64 * 1024;
        private const ulong ThreadPatience = 2000000000UL; // how long exit_group waits for the other threads
        private const int LineLength = 512;

        [DllImport("*"), SuppressGCTransition] private static extern void osv_enter_program(ulong entry, ulong stackPointer);

        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_shared_object_start_address();

        private static delegate*<string, byte**, ulong*, int> s_readFile;

        /// <summary>The file systems' whole-file reader: fills memory the caller frees with NativeMemory.Free; 0 or -errno.</summary>
        public static void UseFileReader(delegate*<string, byte**, ulong*, int> readFile) => s_readFile = readFile;

        private static readonly ProgramRun?[] s_runs = new ProgramRun?[Osv.Core.Linux.LinuxThreads.MaxPrograms + 1]; // by program id, while it runs

        /// <summary>Runs the commands (see the class); returns the VM's status.</summary>
        public static int Run(KernelOptions options)
        {
            Osv.Core.Linux.LinuxSystemCalls.ProcessExit = &OnProcessExit;
            int status = 0;
            bool waitedForAny = false;
            var background = new ProgramRun?[options.Commands.Length];
            int backgroundCount = 0;
            ProgramRun? linked = null; // a background program the kernel linked: the next command waits for it
            foreach (AppCommand command in options.Commands)
            {
                if (linked != null)
                {
                    if (!linked.Finished)
                        WaitingNote(command.Argv[0], linked.Arguments[0]);
                    WaitFor(linked);
                    linked = null;
                }
                ProgramRun? run = Start(command.Argv, options.Environment);
                if (run == null)
                {
                    status = 1;
                    waitedForAny = true;
                    break;
                }
                if (command.Background)
                {
                    // Its reaper waits for it, frees what it held and reports, as soon as it ends.
                    run.Reaper = Scheduler.Create(&Reap, (void*)(nint)run.Id);
                    background[backgroundCount++] = run;
                    if (run.Program.IsLinked)
                        linked = run;
                    continue;
                }
                status = Finish(run);
                waitedForAny = true;
            }
            for (int i = 0; i < backgroundCount; i++)
                WaitFor(background[i]!);
            return waitedForAny || backgroundCount == 0 ? status : background[backgroundCount - 1]!.FinalStatus;
        }

        /// <summary>A background program's reaper thread (a kernel thread): finishes the program when it ends.</summary>
        private static void Reap(void* programId) => Finish(s_runs[(int)(nint)programId]!);

        /// <summary>Until a background program is finished: its reaper's end, or finishing it here if it has no reaper.</summary>
        private static void WaitFor(ProgramRun run)
        {
            if (run.Reaper != null)
                Scheduler.Join(run.Reaper);
            else if (!run.Finished)
                Finish(run);
        }

        private static void WaitingNote(string path, string previousPath)
        {
            var line = new ConsoleLine(stackalloc byte[LineLength]);
            line.Append(path);
            line.Append(": waits for ");
            line.Append(previousPath);
            line.Append(" to end first: a program linked against the kernel's C library runs alone");
            line.WriteLine();
        }

        /// <summary>Loads a program and starts its main thread; null after printing why it cannot start.</summary>
        private static ProgramRun? Start(string[] arguments, string[] environment)
        {
            string path = arguments[0];
            if (s_readFile == null)
                return Fail(path, "no file system to load it from");
            byte* file;
            ulong length;
            int read = s_readFile(path, &file, &length);
            if (read < 0)
                return Fail(path, read == -2 ? "no such file" : "cannot be read");
            int id = Osv.Core.Linux.LinuxThreads.BeginProgram(); // from here on, what the loader maps is this program's
            if (id == 0)
            {
                NativeMemory.Free(file);
                return Fail(path, "too many programs running at once");
            }
            FileSystems.FileSystemStartup.RestoreStandardDescriptors();
            ProgramCopies.ResetAll();
            Stdio.CreateStandardStreams(); // before linking: COPY relocations copy stdin/stdout/stderr
            byte* name = Utf8(path);
            DynamicLinker.RequestBindNow(LazyBinding.AsksForBindNow(environment));
            ElfError loaded = ProgramLoader.Load(file, length, name == null ? default : new System.ReadOnlySpan<byte>(name, path.Length), out LoadedProgram program);
            NativeMemory.Free(file);
            if (!loaded.IsOk)
            {
                FailLoading(path, loaded);
                NativeMemory.Free(name);
                return Abandon(id);
            }
            NativeMemory.Free(name);
            var run = new ProgramRun { Id = id, Program = program, Arguments = arguments, Environment = environment };
            if (program.IsLinked)
            {
                ProgramCopies.AdoptAll(program);
                LibcStart.Prepare(program);
                if (program.IsSharedObject)
                {
                    if (!program.Symbols.TryLookup("main"u8, default, out ElfSymbol mainSymbol) || mainSymbol.Type != SymbolType.Function)
                    {
                        LibcStart.Forget();
                        Fail(path, "a shared object without a main function to run");
                        return Abandon(id);
                    }
                    run.SharedObjectMain = program.Bias + mainSymbol.Value;
                }
            }

            ApplicationMemory.SetBreakStart(program.End);
            s_runs[id] = run;
            run.Main = Scheduler.Create(&StartProgram, (void*)(nint)id, MainStackSize);
            if (run.Main == null)
            {
                s_runs[id] = null;
                if (program.IsLinked)
                    LibcStart.Forget();
                Fail(path, "out of memory for its main thread");
                return Abandon(id);
            }
            return run;
        }

        /// <summary>A program that did not start: its mappings go and its id is free again; null.</summary>
        private static ProgramRun? Abandon(int id)
        {
            ApplicationMemory.UnmapOwnedBy(id);
            Osv.Core.Linux.LinuxThreads.ReleaseProgram(id);
            return null;
        }

        /// <summary>Waits for <paramref name="run"/> to end, frees what it held, reports a fatal signal and returns its status.</summary>
        private static int Finish(ProgramRun run)
        {
            int id = run.Id;
            Scheduler.Join(run.Main!);
            string path = run.Arguments[0];
            // The program ends with its last thread (or with exit_group, which ends the others).
            bool ended = Osv.Core.Linux.LinuxThreads.WaitForProgramEnd(id, ThreadPatience);
            int status = Osv.Core.Linux.LinuxThreads.IsEnding(id) ? Osv.Core.Linux.LinuxThreads.ExitStatus(id) : run.StartStatus;
            int signal = Osv.Core.Linux.LinuxThreads.TerminatingSignal(id);
            if (ended)
            {
                if (run.Program.IsLinked)
                    LibcStart.Forget();
                ThreadBlocks.Free(run.MainThreadPointer); // the linked program's main thread block (0: none)
                ApplicationMemory.UnmapOwnedBy(id); // what it mapped goes; other programs keep theirs
                s_runs[id] = null; // before the id can be given out again
                Osv.Core.Linux.LinuxThreads.ReleaseProgram(id);
            }
            run.FinalStatus = status;
            run.Finished = true;
            if (signal != 0)
            {
                // What a shell would say (osv run restores a status above 125 from the console: ProgramExitStatus).
                var line = new ConsoleLine(stackalloc byte[LineLength]);
                line.Append(path);
                line.Append(": terminated by signal ");
                line.AppendDecimal((ulong)signal);
                line.Append(" (status ");
                line.AppendDecimal((ulong)status);
                line.Append(")");
                line.WriteLine();
            }
            return status;
        }

        /// <summary>The path as NUL-free UTF-8 bytes (ASCII paths: one byte per character) on the heap; the caller frees.</summary>
        private static byte* Utf8(string path)
        {
            byte* bytes = (byte*)NativeMemory.Alloc((nuint)path.Length + 1);
            if (bytes == null)
                return null;
            for (int i = 0; i < path.Length; i++)
                bytes[i] = path[i] < 0x80 ? (byte)path[i] : (byte)'?';
            bytes[path.Length] = 0;
            return bytes;
        }

        private static void FailLoading(string path, ElfError error)
        {
            System.ReadOnlySpan<byte> message = DynamicLinker.LastMessage;
            if ((error.Status == ElfStatus.UndefinedSymbol || error.Status == ElfStatus.NeedsDynamicLinking) && !message.IsEmpty)
            {
                KernelConsole.Write("Error: ");
                KernelConsole.Write(path);
                KernelConsole.Write(": ");
                KernelConsole.Write(message);
                KernelConsole.WriteLine();
                return;
            }
            Fail(path, ElfStatusText.Describe(error.Status));
        }

        /// <summary>One line saying why <paramref name="path"/> cannot start; null (no program).</summary>
        private static ProgramRun? Fail(string path, string problem)
        {
            var line = new ConsoleLine(stackalloc byte[LineLength]);
            line.Append("Error: ");
            line.Append(path);
            line.Append(": ");
            line.Append(problem);
            line.WriteLine();
            return null;
        }

        /// <summary>
        /// exit_group: the status is the command's; the calling thread ends now and the program's
        /// other threads at their next system call; the runner then frees the program's memory and goes on.
        /// </summary>
        private static void OnProcessExit(int status) => Osv.Core.Linux.LinuxThreads.EndProgram(status);

        /// <summary>A program's main thread: lays out the initial stack below its own frame and jumps to _start.</summary>
        private static void StartProgram(void* programId)
        {
            int id = (int)(nint)programId;
            ProgramRun run = s_runs[id]!;
            // A program thread from the start (exit, signals, futex and the owner of what it maps know it).
            if (!Osv.Core.Linux.LinuxThreads.AttachCurrent(id))
            {
                KernelConsole.WriteLine("Error: too many program threads");
                run.StartStatus = 1;
                return;
            }
            byte marker = 0;
            ulong top = ((ulong)&marker - 512) & ~15UL;
            var block = new System.Span<byte>((byte*)(top - InitialStackBlock), InitialStackBlock);
            ProgramStartInfo info = default;
            info.ProgramHeaders = run.Program.ProgramHeaders;
            info.ProgramHeaderCount = (ulong)run.Program.ProgramHeaderCount;
            info.Entry = run.Program.Entry;
            info.Base = 0; // no interpreter object: the kernel linked the program (or it relocates itself)
            Cpu.Cpuid(1, 0, out _, out _, out _, out uint features);
            info.HardwareCapabilities = features;
            FillRandom(info.Random);
            ulong stackPointer = InitialStack.Build(block, top, run.Arguments, run.Environment, run.Arguments[0], info);
            if (stackPointer == 0)
            {
                KernelConsole.WriteLine("Error: the arguments and environment do not fit the initial stack");
                run.StartStatus = 1;
                Osv.Core.Linux.LinuxThreads.ExitThread();
                return;
            }
            if (run.Program.IsLinked)
            {
                // The C library's main thread: its own %fs block, with the canary from AT_RANDOM (low byte 0, as glibc's).
                run.MainThreadPointer = PthreadThreads.AdoptCurrentThread(MainStackSize);
                if (run.MainThreadPointer == 0)
                {
                    KernelConsole.WriteLine("Error: out of memory for the main thread's block");
                    run.StartStatus = 1;
                    Osv.Core.Linux.LinuxThreads.ExitThread();
                    return;
                }
                *(ulong*)(run.MainThreadPointer + ThreadBlocks.CanaryOffset) = *(ulong*)info.Random & ~0xFFUL;
            }
            // A shared object has no _start: enter the kernel's (program_entry.asm), which calls RunSharedObjectMain on the initial stack.
            osv_enter_program(run.SharedObjectMain != 0 ? osv_shared_object_start_address() : run.Program.Entry, stackPointer);
        }

        /// <summary>A shared object's start (entered from program_entry.asm on the initial stack): what __libc_start_main does, with its main.</summary>
        [UnmanagedCallersOnly(EntryPoint = "osv_run_shared_object_main")]
        [InternalEntryPoint("program_entry.asm: osv_start_shared_object")]
        private static void RunSharedObjectMain(int argc, byte** argv) =>
            LibcStart.RunMain((delegate* unmanaged<int, byte**, byte**, int>)s_runs[Osv.Core.Linux.LinuxThreads.CurrentProgram]!.SharedObjectMain, argc, argv, null, null, null);

        /// <summary>AT_RANDOM's 16 bytes: the C library seeds its stack canary from them.</summary>
        private static void FillRandom(byte* destination)
        {
            ulong state = Cpu.ReadTimestampCounter() ^ TscClock.NanosecondsSinceBoot * 0x9E3779B97F4A7C15UL;
            for (int i = 0; i < 16; i += 8)
            {
                // splitmix64: well mixed from a TSC seed; a hardware source can replace it later.
                state += 0x9E3779B97F4A7C15UL;
                ulong z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                *(ulong*)(destination + i) = z;
            }
        }
    }
}
