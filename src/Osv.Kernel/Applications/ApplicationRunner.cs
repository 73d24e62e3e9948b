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
    /// Runs the command line's programs, one after another (`;`): read the file, load it, start its
    /// main thread on a lazy 8 MiB stack with argv, envp and the auxiliary vector, and wait. The
    /// program's exit status (exit_group, its main thread's exit, or 128+signal when a signal ended it)
    /// becomes the command's. As in a shell and in OSv, the next command runs whatever the status was;
    /// the last command's status is the VM's. A program that cannot be started (missing, malformed,
    /// unresolved symbols) ends the list with status 1, as OSv powers off on a launch error.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class ApplicationRunner
    {
        private const ulong MainStackSize = 8UL << 20; // Linux's default RLIMIT_STACK
        private const int InitialStackBlock = 64 * 1024;
        private const ulong ThreadPatience = 2000000000UL; // how long exit_group waits for the other threads

        [DllImport("*"), SuppressGCTransition] private static extern void osv_enter_program(ulong entry, ulong stackPointer);

        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_shared_object_start_address();

        private static delegate*<string, byte**, ulong*, int> s_readFile;

        /// <summary>The file systems' whole-file reader: fills memory the caller frees with NativeMemory.Free; 0 or -errno.</summary>
        public static void UseFileReader(delegate*<string, byte**, ulong*, int> readFile) => s_readFile = readFile;

        private static LoadedProgram s_program;
        private static string[] s_arguments = null!;
        private static string[] s_environment = null!;
        private static int s_exitStatus;
        private static int s_exited;
        private static ulong s_sharedObjectMain;
        private static ulong s_mainThreadPointer;

        /// <summary>Runs every command in order; returns the last one's status (a launch failure stops the list).</summary>
        public static int Run(KernelOptions options)
        {
            int status = 0;
            foreach (AppCommand command in options.Commands)
            {
                status = RunOne(command.Argv, options.Environment, out bool started);
                if (!started)
                    break;
            }
            return status;
        }

        private static int RunOne(string[] arguments, string[] environment, out bool started)
        {
            started = false;
            string path = arguments[0];
            if (s_readFile == null)
                return Fail(path, "no file system to load it from");
            byte* file;
            ulong length;
            int read = s_readFile(path, &file, &length);
            if (read < 0)
                return Fail(path, read == -2 ? "no such file" : "cannot be read");
            LibcData.Reset();
            Stdio.CreateStandardStreams(); // before linking: COPY relocations copy stdin/stdout/stderr
            byte* name = Utf8(path);
            ElfError loaded = ProgramLoader.Load(file, length, name == null ? default : new System.ReadOnlySpan<byte>(name, path.Length), out LoadedProgram program);
            NativeMemory.Free(file);
            if (!loaded.IsOk)
            {
                int failed = FailLoading(path, loaded);
                NativeMemory.Free(name);
                return failed;
            }
            NativeMemory.Free(name);
            s_sharedObjectMain = 0;
            if (program.IsLinked)
            {
                LibcData.AdoptProgramCopies(program);
                LibcStart.Prepare(program);
                if (program.IsSharedObject)
                {
                    if (!program.Symbols.TryLookup("main"u8, default, out ElfSymbol mainSymbol) || mainSymbol.Type != SymbolType.Function)
                    {
                        ApplicationMemory.UnmapAll();
                        return Fail(path, "a shared object without a main function to run");
                    }
                    s_sharedObjectMain = program.Bias + mainSymbol.Value;
                }
            }

            ApplicationMemory.SetBreakStart(program.End);
            s_program = program;
            s_arguments = arguments;
            s_environment = environment;
            s_exited = 0;
            s_exitStatus = 0;
            Osv.Core.Linux.LinuxSystemCalls.ProcessExit = &OnProcessExit;
            Osv.Core.Linux.LinuxThreads.BeginProgram();
            KernelThread? main = Scheduler.Create(&StartProgram, null, MainStackSize);
            if (main == null)
                return Fail(path, "out of memory for its main thread");
            started = true;
            Scheduler.Join(main);
            // The program ends with its last thread (or with exit_group, which ends the others).
            if (Osv.Core.Linux.LinuxThreads.WaitForProgramEnd(ThreadPatience))
            {
                LibcStart.Forget();
                ThreadBlocks.Free(s_mainThreadPointer); // the linked program's main thread block (0: none)
                s_mainThreadPointer = 0;
                ApplicationMemory.UnmapAll(); // the next command starts with an empty address space
            }
            if (Osv.Core.Linux.LinuxThreads.Ending)
                s_exitStatus = Osv.Core.Linux.LinuxThreads.ExitStatus;
            int signal = Osv.Core.Linux.LinuxThreads.TerminatingSignal;
            if (signal != 0)
            {
                // What a shell would say (osv run restores a status above 125 from the console: ProgramExitStatus).
                KernelConsole.Write(path);
                KernelConsole.Write(": terminated by signal ");
                KernelConsole.WriteDecimal((ulong)signal);
                KernelConsole.Write(" (status ");
                KernelConsole.WriteDecimal((ulong)s_exitStatus);
                KernelConsole.WriteLine(")");
            }
            return s_exitStatus;
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

        private static int FailLoading(string path, ElfError error)
        {
            System.ReadOnlySpan<byte> message = DynamicLinker.LastMessage;
            if ((error.Status == ElfStatus.UndefinedSymbol || error.Status == ElfStatus.NeedsDynamicLinking) && !message.IsEmpty)
            {
                KernelConsole.Write("Error: ");
                KernelConsole.Write(path);
                KernelConsole.Write(": ");
                KernelConsole.Write(message);
                KernelConsole.WriteLine();
                return 1;
            }
            return Fail(path, ElfStatusText.Describe(error.Status));
        }

        private static int Fail(string path, string problem)
        {
            KernelConsole.Write("Error: ");
            KernelConsole.Write(path);
            KernelConsole.Write(": ");
            KernelConsole.WriteLine(problem);
            return 1;
        }

        /// <summary>
        /// exit_group: the status is the command's; the calling thread ends now and the program's
        /// other threads at their next system call; the runner then frees the program's memory and goes on.
        /// </summary>
        private static void OnProcessExit(int status)
        {
            s_exitStatus = status & 0xFF;
            System.Threading.Volatile.Write(ref s_exited, 1);
            Osv.Core.Linux.LinuxThreads.EndProgram(status);
        }

        /// <summary>The main thread: lays out the initial stack below its own frame and jumps to _start.</summary>
        private static void StartProgram(void* unused)
        {
            byte marker = 0;
            ulong top = ((ulong)&marker - 512) & ~15UL;
            var block = new System.Span<byte>((byte*)(top - InitialStackBlock), InitialStackBlock);
            ProgramStartInfo info = default;
            info.ProgramHeaders = s_program.ProgramHeaders;
            info.ProgramHeaderCount = (ulong)s_program.ProgramHeaderCount;
            info.Entry = s_program.Entry;
            info.Base = 0; // no interpreter object: the kernel linked the program (or it relocates itself)
            Cpu.Cpuid(1, 0, out _, out _, out _, out uint features);
            info.HardwareCapabilities = features;
            FillRandom(info.Random);
            ulong stackPointer = InitialStack.Build(block, top, s_arguments, s_environment, s_arguments[0], info);
            if (stackPointer == 0)
            {
                KernelConsole.WriteLine("Error: the arguments and environment do not fit the initial stack");
                s_exitStatus = 1;
                return;
            }
            if (s_program.IsLinked)
            {
                // The C library's main thread: its own %fs block, with the canary from AT_RANDOM (low byte 0, as glibc's).
                s_mainThreadPointer = PthreadThreads.AdoptCurrentThread(MainStackSize);
                if (s_mainThreadPointer == 0)
                {
                    KernelConsole.WriteLine("Error: out of memory for the main thread's block");
                    s_exitStatus = 1;
                    return;
                }
                *(ulong*)(s_mainThreadPointer + ThreadBlocks.CanaryOffset) = *(ulong*)info.Random & ~0xFFUL;
            }
            Osv.Core.Linux.LinuxThreads.AttachCurrent(); // a program thread: exit, signals, futex know it
            // A shared object has no _start: enter the kernel's (program_entry.asm), which calls RunSharedObjectMain on the initial stack.
            osv_enter_program(s_sharedObjectMain != 0 ? osv_shared_object_start_address() : s_program.Entry, stackPointer);
        }

        /// <summary>A shared object's start (entered from program_entry.asm on the initial stack): what __libc_start_main does, with its main.</summary>
        [UnmanagedCallersOnly(EntryPoint = "osv_run_shared_object_main")]
        [InternalEntryPoint("program_entry.asm: osv_start_shared_object")]
        private static void RunSharedObjectMain(int argc, byte** argv) =>
            LibcStart.RunMain((delegate* unmanaged<int, byte**, byte**, int>)s_sharedObjectMain, argc, argv, null, null, null);

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
