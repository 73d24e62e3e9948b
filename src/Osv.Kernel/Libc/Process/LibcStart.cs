using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Console;
using Osv.Core.Elf;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Stdio;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// A glibc program's life: <c>__libc_start_main</c> (called by the program's _start, or by the
    /// kernel for a shared object's <c>main</c>) sets environ and the program names, runs the
    /// executable's initializers (DT_PREINIT_ARRAY, DT_INIT, DT_INIT_ARRAY — glibc 2.34+ passes a NULL
    /// init, the loader's job), calls main and passes its result to <c>exit</c>. exit runs the atexit /
    /// __cxa_atexit handlers (last registered first), then the executable's DT_FINI_ARRAY (backwards) and
    /// DT_FINI, flushes every stream and ends the program through exit_group's hook.
    /// </summary>
    internal static unsafe class LibcStart
    {
        private struct ExitHandler
        {
            public void* Function;
            public void* Argument;
            public void* Dso;
            /// <summary>0 done, 1 atexit-style f(void), 2 __cxa_atexit-style f(arg).</summary>
            public int Kind;
        }

        private static ExitHandler* s_handlers;
        private static int s_handlerCount, s_handlerCapacity;
        private static int s_handlerLock;
        private static LoadedProgram s_program;
        private static bool s_hasProgram;
        private static int s_finalizersRun;

        /// <summary>A new program: no handlers, its dynamic section for the initializers and finalizers.</summary>
        public static void Prepare(in LoadedProgram program)
        {
            s_handlerCount = 0;
            s_program = program;
            s_hasProgram = program.IsLinked;
            s_finalizersRun = 0;
        }

        /// <summary>Forgets the program (its memory is about to go).</summary>
        public static void Forget()
        {
            s_hasProgram = false;
            s_handlerCount = 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__libc_start_main")]
        public static int StartMain(delegate* unmanaged<int, byte**, byte**, int> main, int argc, byte** argv,
            delegate* unmanaged<int, byte**, byte**, void> init, delegate* unmanaged<void> fini, delegate* unmanaged<void> rtldFini, void* stackEnd)
        {
            RunMain(main, argc, argv, init, fini, rtldFini);
            return 0;
        }

        /// <summary>What __libc_start_main does; the kernel calls it directly for a shared object's main. Never returns.</summary>
        public static void RunMain(delegate* unmanaged<int, byte**, byte**, int> main, int argc, byte** argv,
            delegate* unmanaged<int, byte**, byte**, void> init, delegate* unmanaged<void> fini, delegate* unmanaged<void> rtldFini)
        {
            byte** environment = argv + argc + 1;
            SetProgramData(argc, argv, environment);
            AuxiliaryValues.Remember(environment);
            if (rtldFini != null)
                AddHandler(rtldFini, null, null, 1);
            if (init != null)
                init(argc, argv, environment); // an old binary's __libc_csu_init runs the arrays itself
            else
                RunInitializers(argc, argv, environment);
            if (fini != null)
                AddHandler(fini, null, null, 1);
            int status = main(argc, argv, environment);
            Exit(status);
        }

        /// <summary>environ, __progname (after the last '/') and __progname_full, in whichever copy is the object now.</summary>
        public static void SetProgramData(int argc, byte** argv, byte** environment)
        {
            *LibcData.Slot(LibcData.Environ) = (ulong)environment;
            byte* name = argc > 0 ? argv[0] : null;
            *LibcData.Slot(LibcData.ProgramFullName) = (ulong)name;
            byte* shortName = name;
            for (byte* c = name; c != null && *c != 0; c++)
            {
                if (*c == (byte)'/')
                    shortName = c + 1;
            }
            *LibcData.Slot(LibcData.ProgramName) = (ulong)shortName;
        }

        private static void RunInitializers(int argc, byte** argv, byte** environment)
        {
            if (!s_hasProgram)
                return;
            DynamicSection dynamic = s_program.Dynamic;
            ulong bias = s_program.Bias;
            RunArray(bias + dynamic.PreinitArray, dynamic.PreinitArray == 0 ? 0 : dynamic.PreinitArraySize / 8, argc, argv, environment);
            // Libraries loaded from files first, the last loaded first: breadth-first load order reversed puts dependencies before their users.
            for (int i = DynamicLinker.LibraryCount - 1; i >= 0; i--)
            {
                DynamicLinker.Library(i, out DynamicSection library, out ulong libraryBias);
                if (library.Init != 0)
                    ((delegate* unmanaged<int, byte**, byte**, void>)(libraryBias + library.Init))(argc, argv, environment);
                RunArray(libraryBias + library.InitArray, library.InitArray == 0 ? 0 : library.InitArraySize / 8, argc, argv, environment);
            }
            if (dynamic.Init != 0)
                ((delegate* unmanaged<int, byte**, byte**, void>)(bias + dynamic.Init))(argc, argv, environment);
            RunArray(bias + dynamic.InitArray, dynamic.InitArray == 0 ? 0 : dynamic.InitArraySize / 8, argc, argv, environment);
        }

        private static void RunArray(ulong address, ulong count, int argc, byte** argv, byte** environment)
        {
            ulong* entries = (ulong*)address;
            for (ulong i = 0; i < count; i++)
            {
                ulong function = entries[i];
                if (function != 0 && function != ulong.MaxValue)
                    ((delegate* unmanaged<int, byte**, byte**, void>)function)(argc, argv, environment);
            }
        }

        private static void RunFinalizers()
        {
            if (!s_hasProgram || System.Threading.Interlocked.Exchange(ref s_finalizersRun, 1) != 0)
                return;
            RunFinalizers(s_program.Dynamic, s_program.Bias);
            // Then the libraries, in the reverse of their initializers' order.
            for (int i = 0; i < DynamicLinker.LibraryCount; i++)
            {
                DynamicLinker.Library(i, out DynamicSection library, out ulong libraryBias);
                RunFinalizers(library, libraryBias);
            }
        }

        private static void RunFinalizers(in DynamicSection dynamic, ulong bias)
        {
            if (dynamic.FiniArray != 0)
            {
                ulong* entries = (ulong*)(bias + dynamic.FiniArray);
                for (ulong i = dynamic.FiniArraySize / 8; i > 0; i--)
                {
                    ulong function = entries[i - 1];
                    if (function != 0 && function != ulong.MaxValue)
                        ((delegate* unmanaged<void>)function)();
                }
            }
            if (dynamic.Fini != 0)
                ((delegate* unmanaged<void>)(bias + dynamic.Fini))();
        }

        private static void LockHandlers()
        {
            while (System.Threading.Interlocked.CompareExchange(ref s_handlerLock, 1, 0) != 0)
                Osv.Core.Threads.Scheduler.Yield();
        }

        private static void UnlockHandlers() => System.Threading.Volatile.Write(ref s_handlerLock, 0);

        private static int AddHandler(void* function, void* argument, void* dso, int kind)
        {
            LockHandlers();
            if (s_handlerCount == s_handlerCapacity)
            {
                int capacity = s_handlerCapacity == 0 ? 32 : s_handlerCapacity * 2;
                ExitHandler* grown = (ExitHandler*)KernelMemory.Reallocate(s_handlers, (nuint)(capacity * sizeof(ExitHandler)));
                if (grown == null)
                {
                    UnlockHandlers();
                    return -1;
                }
                s_handlers = grown; // kept for the kernel's lifetime, reused by the next program
                s_handlerCapacity = capacity;
            }
            ExitHandler* handler = s_handlers + s_handlerCount++;
            handler->Function = function;
            handler->Argument = argument;
            handler->Dso = dso;
            handler->Kind = kind;
            UnlockHandlers();
            return 0;
        }

        /// <summary>Runs the handlers of <paramref name="dso"/> (all when null), last first; each runs once even if a handler calls exit.</summary>
        private static void RunHandlers(void* dso)
        {
            while (true)
            {
                LockHandlers();
                ExitHandler handler = default;
                for (int i = s_handlerCount - 1; i >= 0; i--)
                {
                    if (s_handlers[i].Kind != 0 && (dso == null || s_handlers[i].Dso == dso))
                    {
                        handler = s_handlers[i];
                        s_handlers[i].Kind = 0;
                        break;
                    }
                }
                UnlockHandlers();
                if (handler.Kind == 0)
                    return;
                if (handler.Kind == 1)
                    ((delegate* unmanaged<void>)handler.Function)();
                else
                    ((delegate* unmanaged<void*, void>)handler.Function)(handler.Argument);
            }
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "atexit")]
        public static int AtExit(void* function) => AddHandler(function, null, null, 1);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__cxa_atexit")]
        public static int CxaAtExit(void* function, void* argument, void* dso) => AddHandler(function, argument, dso, 2);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__cxa_finalize")]
        public static void CxaFinalize(void* dso) => RunHandlers(dso);

        public static void Exit(int status)
        {
            ThreadExitDestructors.Run(PthreadThreads.Self()); // glibc: the exiting thread's thread_local objects go before atexit handlers
            RunHandlers(null);
            RunFinalizers();
            StdioFile.FlushAll();
            Terminate(status);
        }

        private static void Terminate(int status)
        {
            if (LinuxSystemCalls.ProcessExit != null)
                LinuxSystemCalls.ProcessExit(status);
            while (true)
                Osv.Core.Threads.Scheduler.Exit();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "exit")]
        public static void ExitEntry(int status) => Exit(status);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "_exit")]
        public static void ExitNow(int status) => Terminate(status);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "_Exit")]
        public static void ExitNowC99(int status) => Terminate(status);

        /// <summary>abort: SIGABRT, whose handler may run; then the program ends with 134 (128 + SIGABRT, what a shell reports) and no atexit handlers or flushing, as glibc's.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "abort")]
        public static void Abort()
        {
            Signals.SignalSending.RaiseAbortSignal();
            AbortProgram();
        }

        /// <summary>abort() for the C library's own fatal checks (assert): the same SIGABRT path as the program's call.</summary>
        public static void AbortFromLibrary()
        {
            Signals.SignalSending.RaiseAbortSignal();
            AbortProgram();
        }

        public static void AbortProgram()
        {
            KernelConsole.WriteLine("Aborted");
            Terminate(134);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__stack_chk_fail")]
        public static void StackCheckFailed()
        {
            KernelConsole.WriteLine("*** stack smashing detected ***: terminated");
            AbortProgram();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getenv")]
        public static byte* GetEnvironment(byte* name) => Find(name);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "secure_getenv")]
        public static byte* SecureGetEnvironment(byte* name) => Find(name);

        /// <summary>The value of NAME in the environment as it is now (through the program's copy of environ).</summary>
        private static byte* Find(byte* name)
        {
            byte** environment = (byte**)*LibcData.Slot(LibcData.Environ);
            if (environment == null || name == null)
                return null;
            int length = 0;
            while (name[length] != 0)
            {
                if (name[length] == (byte)'=')
                    return null;
                length++;
            }
            for (; *environment != null; environment++)
            {
                byte* entry = *environment;
                int i = 0;
                while (i < length && entry[i] == name[i])
                    i++;
                if (i == length && entry[i] == (byte)'=')
                    return entry + length + 1;
            }
            return null;
        }
    }
}
