using System;
using Osv.Arch.X64;

namespace Osv.Core.Elf
{
    /// <summary>
    /// The kernel's dynamic linker. An application's PT_INTERP (/lib64/ld-linux-x86-64.so.2) only means
    /// "the kernel links it": the kernel image is the interpreter and stands in for the libraries
    /// <see cref="KernelLibraries"/> names. Every relocation whose symbol is found is bound at load time, in
    /// the order <see cref="SymbolScope"/> documents: the executable, then the libraries, then the kernel's own
    /// .dynsym (read from the image's dynamic section at run time), then weak -> 0. A missing function of an
    /// object that does not ask for BIND_NOW waits for its first call (<see cref="LazyBinding"/>).
    /// TLS: the executable's PT_TLS gets module id 1 and the static block right below the thread pointer
    /// (<see cref="StaticTlsLayout"/>); every application thread's %fs block is filled from it.
    /// DT_NEEDED libraries the kernel does not stand in for are found with <see cref="LibrarySearch"/>, read
    /// whole through the file reader the kernel gives (<see cref="UseFileReader"/>), placed in application
    /// memory breadth first, and relocated after the executable; their PT_TLS blocks follow the executable's
    /// (module ids 2, 3, ...). <see cref="LibraryCount"/> and <see cref="Library"/> give the C library their
    /// initializers and finalizers.
    /// </summary>
    public static unsafe partial class DynamicLinker
    {
        private static DynamicSymbols s_kernelSymbols;
        private static bool s_kernelSymbolsReady;
        private const int MessageCapacity = 512;
        private static byte* s_message;
        private static int s_messageLength;
        private static StaticTlsLayout s_staticTls;

        /// <summary>Forgets the previous program's static TLS and libraries (the loader calls it before placing a program; their memory went with the program's).</summary>
        public static void BeginProgram()
        {
            Unpublish();
            s_staticTls.Reset();
            s_libraryCount = 0;
            s_hasExecutable = false;
        }

        /// <summary>Bytes every thread block keeps below the startup modules' TLS for libraries dlopen adds later (glibc's surplus).</summary>
        public const ulong StaticTlsSurplus = 2048;

        /// <summary>Thread blocks align the thread pointer to at least this (ThreadBlocks' minimum): dlopen's TLS may ask for up to it.</summary>
        public const ulong ThreadPointerAlignment = 64;

        private static DynamicSection s_executable;
        private static DynamicSymbols s_executableSymbols;
        private static ulong s_executableBias, s_executableTlsModuleId, s_startupTlsSize, s_startupTlsAlignment;
        private static long s_executableTlsBlockOffset;
        private static bool s_hasExecutable;
        private static int s_openLock;

        /// <summary>The handle dlopen(NULL) returns: the whole global scope (the executable's link map, as in glibc).</summary>
        public static ulong GlobalHandle => (ulong)(s_libraries + ExecutableSlot);

        /// <summary>The handle dlopen gives for a library the kernel stands in for (libc.so.6, libm.so.6, ...): the kernel image's link map.</summary>
        private static ulong KernelHandle => (ulong)(s_libraries + KernelSlot);

        /// <summary>
        /// dlopen: the handle of library <paramref name="name"/> (already loaded, or now loaded with its
        /// dependencies, relocated against the global scope, its TLS in the calling thread's surplus);
        /// <paramref name="first"/>/<paramref name="count"/> are the libraries whose initializers the caller runs.
        /// <paramref name="bindNow"/> is RTLD_NOW: a function still missing fails the open instead of its first
        /// call. 0 on failure, with <see cref="LastMessage"/> saying why. Libraries stay until the program ends.
        /// </summary>
        public static ulong Open(ReadOnlySpan<byte> name, ulong threadPointer, bool bindNow, out int first, out int count)
        {
            first = 0;
            count = 0;
            while (System.Threading.Interlocked.CompareExchange(ref s_openLock, 1, 0) != 0)
                Osv.Core.Threads.Scheduler.Yield();
            StartMessage();
            s_openBindsNow = bindNow;
            ulong handle = OpenLocked(name, threadPointer, out first, out count);
            s_openBindsNow = false;
            System.Threading.Volatile.Write(ref s_openLock, 0);
            return handle;
        }

        /// <summary>dlopen's RTLD_NOW for the objects this open relocates (held under the open lock).</summary>
        private static bool s_openBindsNow;

        private static ulong OpenLocked(ReadOnlySpan<byte> name, ulong threadPointer, out int first, out int count)
        {
            first = s_libraryCount;
            count = 0;
            if (!s_hasExecutable || s_libraries == null)
            {
                Append("dlopen needs a program the kernel linked"u8);
                return 0;
            }
            for (int i = 0; i < s_libraryCount; i++)
            {
                LibraryRecord* library = s_libraries + i;
                if (ElfBytes.Equal(name, new ReadOnlySpan<byte>(library->Name, library->NameLength))
                    || ElfBytes.Equal(name, new ReadOnlySpan<byte>(library->Path, library->PathLength)))
                    return (ulong)library;
            }
            if (KernelLibraries.Provides(name))
                return KernelHandle;
            int tlsModules = s_staticTls.Count;
            ElfError error = LoadLibrary(name, s_executable, default, 0);
            if (!error.IsOk && s_libraryCount == first && error.Status == ElfStatus.NeedsDynamicLinking)
            {
                StartMessage();
                Append(name);
                Append(": cannot open shared object file: No such file or directory"u8);
                return 0;
            }
            if (error.IsOk)
            {
                LibraryRecord* opened = s_libraries + first;
                error = LoadLibraries(opened->Dynamic, new ReadOnlySpan<byte>(opened->Path, opened->PathLength), first + 1);
            }
            if (error.IsOk && (s_staticTls.Size > s_startupTlsSize + StaticTlsSurplus || (s_staticTls.Alignment > s_startupTlsAlignment && s_staticTls.Alignment > ThreadPointerAlignment)))
            {
                Append("cannot allocate memory in static TLS block"u8);
                error = ElfError.Of(ElfStatus.BadTlsSegment);
            }
            if (error.IsOk)
            {
                error = KernelSymbols(out DynamicSymbols kernel);
                DynamicSymbols executableSymbols = s_executableSymbols;
                SymbolScope scope = GlobalScope(&executableSymbols, s_executableBias, s_executableTlsModuleId, s_executableTlsBlockOffset, s_libraryCount, &kernel);
                for (int i = first; i < s_libraryCount && error.IsOk; i++)
                    error = RelocateLibrary(i, &scope);
            }
            for (int i = first; i < s_libraryCount; i++)
            {
                LibraryRecord* library = s_libraries + i;
                if (error.IsOk)
                    ProgramLoader.Protect(library->Image, library->Bias, library->Start, library->End, linked: true);
                else
                    Osv.Core.Memory.ApplicationMemory.Unmap(library->Bias + library->Start, library->End - library->Start);
                System.Runtime.InteropServices.NativeMemory.Free(library->File);
                library->File = null;
            }
            if (!error.IsOk)
            {
                s_libraryCount = first; // (their TLS blocks stay counted: the surplus is not given back)
                return 0;
            }
            if (threadPointer != 0)
                s_staticTls.InitializeModules(threadPointer, tlsModules);
            Publish();
            count = s_libraryCount - first;
            return (ulong)(s_libraries + first);
        }

        /// <summary>True for a handle <see cref="Open"/> gave (or the global one).</summary>
        public static bool IsHandle(ulong handle)
        {
            if (s_libraries == null || handle == GlobalHandle || handle == KernelHandle)
                return s_libraries != null;
            for (int i = 0; i < s_libraryCount; i++)
            {
                if (handle == (ulong)(s_libraries + i))
                    return true;
            }
            return false;
        }

        /// <summary>
        /// dlsym: 0 (RTLD_DEFAULT) or the global handle searches executable, libraries, kernel; a library's
        /// handle searches it, the libraries loaded after it (its dependencies), then the kernel; the kernel's
        /// handle only the kernel. The address, or 0.
        /// Thread-local symbols are not answered (0).
        /// </summary>
        public static ulong Symbol(ulong handle, ReadOnlySpan<byte> name)
        {
            uint hash = SymbolHash.Gnu(name);
            ElfSymbol definition;
            int from = 0;
            if (handle == 0 || handle == GlobalHandle)
            {
                if (s_hasExecutable && s_executableSymbols.TryLookup(name, hash, default, out definition))
                    return Address(definition, s_executableBias);
            }
            else
            {
                from = (int)(((LibraryRecord*)handle) - s_libraries);
            }
            for (int i = from; i < s_libraryCount; i++)
            {
                if (s_libraries[i].Symbols.TryLookup(name, hash, default, out definition))
                    return Address(definition, s_libraries[i].Bias);
            }
            if (KernelSymbols(out DynamicSymbols kernel).IsOk && kernel.TryLookup(name, hash, default, out definition))
                return Address(definition, 0);
            return 0;
        }

        private static ulong Address(in ElfSymbol definition, ulong bias)
        {
            if (definition.Type == SymbolType.Tls)
                return 0;
            return definition.SectionIndex == ElfSymbol.AbsoluteSection ? definition.Value : definition.Value + bias;
        }

        private const int LibraryCapacity = 16;
        private const int PathCapacity = 256;

        private const int ExecutableSlot = LibraryCapacity;
        private const int KernelSlot = LibraryCapacity + 1;
        private const int RecordCount = LibraryCapacity + 2;

        /// <summary>
        /// A library loaded from a file, in application memory; the slots after the libraries describe the
        /// executable and the kernel image the same way. The link map comes first: a record's address is a
        /// struct link_map * (dlopen's handle).
        /// </summary>
        private struct LibraryRecord
        {
            public LinkMap Map;
            public ulong ProgramHeaders, TlsModuleId;
            public int ProgramHeaderCount;
            public ElfImage Image;
            public DynamicSection Dynamic;
            public DynamicSymbols Symbols;
            public ulong Bias, Start, End;
            public byte* File;
            public int PathLength, NameLength;
            public fixed byte Path[PathCapacity];
            public fixed byte Name[PathCapacity];
        }

        private static LibraryRecord* s_libraries; // RecordCount records, kept for the kernel's lifetime
        private static ScopeObject* s_scope;
        private static int s_libraryCount;
        private static delegate*<byte*, int, byte**, ulong*, int> s_readFile;

        /// <summary>The file systems' whole-file reader (path bytes, length): fills memory the caller frees with NativeMemory.Free; 0 or -errno.</summary>
        public static void UseFileReader(delegate*<byte*, int, byte**, ulong*, int> readFile) => s_readFile = readFile;

        /// <summary>How many libraries the running program loaded from files (load order: breadth first from the executable).</summary>
        public static int LibraryCount => s_libraryCount;

        /// <summary>Library <paramref name="index"/>'s dynamic section and load bias.</summary>
        public static void Library(int index, out DynamicSection dynamic, out ulong bias)
        {
            dynamic = s_libraries[index].Dynamic;
            bias = s_libraries[index].Bias;
        }

        /// <summary>Bytes below the thread pointer the running program's static TLS takes (0: none).</summary>
        public static ulong StaticTlsSize => s_staticTls.Size;

        /// <summary>The alignment the running program's static TLS asks for (1 when none).</summary>
        public static ulong StaticTlsAlignment => s_staticTls.Alignment;

        /// <summary>Fills a new thread's static TLS blocks below <paramref name="threadPointer"/> (.tdata copied, .tbss zeroed).</summary>
        public static void InitializeStaticTls(ulong threadPointer) => s_staticTls.InitializeBlock(threadPointer);

        /// <summary>__tls_get_addr: the address of <paramref name="offset"/> in module <paramref name="moduleId"/>'s block of a thread; 0 if unknown.</summary>
        public static ulong TlsAddress(ulong threadPointer, ulong moduleId, ulong offset) => s_staticTls.Address(threadPointer, moduleId, offset);

        /// <summary>The kernel image's exported symbols (decoded once; the image never changes).</summary>
        public static ElfError KernelSymbols(out DynamicSymbols symbols)
        {
            if (!s_kernelSymbolsReady)
            {
                AddressSpaceView image = AddressSpaceView.OfMemory((byte*)BootImage.ImageStart, BootImage.ImageStart,
                    BootImage.ImageEnd - BootImage.ImageStart, isWritable: false);
                ElfError error = DynamicSection.Decode(image, BootImage.DynamicStart, BootImage.DynamicEnd - BootImage.DynamicStart, out DynamicSection dynamic);
                if (error.IsOk)
                    error = DynamicSymbols.Create(dynamic, out s_kernelSymbols);
                if (!error.IsOk)
                {
                    symbols = default;
                    return error;
                }
                s_kernelSymbolsReady = true;
            }
            symbols = s_kernelSymbols;
            return ElfError.Ok;
        }

        /// <summary>Looks a name up in the kernel's .dynsym: its address, or 0.</summary>
        public static ulong KernelSymbol(ReadOnlySpan<byte> name)
        {
            if (!KernelSymbols(out DynamicSymbols symbols).IsOk || !symbols.TryLookup(name, default, out ElfSymbol symbol))
                return 0;
            return symbol.Value;
        }

        /// <summary>
        /// The last linking failure in words (`symbol foo (version GLIBC_2.2.5) not found, needed by /app`,
        /// `library libfoo.so.1 not found, needed by /app`), copied out of the object before its memory goes;
        /// empty when the last failure has no words of its own.
        /// </summary>
        public static ReadOnlySpan<byte> LastMessage => s_message == null ? default : new ReadOnlySpan<byte>(s_message, s_messageLength);

        private static void StartMessage()
        {
            if (s_message == null)
                s_message = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(MessageCapacity); // kept for the kernel's lifetime
            s_messageLength = 0;
        }

        private static void Append(ReadOnlySpan<byte> text)
        {
            if (s_message == null)
                return;
            for (int i = 0; i < text.Length && s_messageLength < MessageCapacity; i++)
                s_message[s_messageLength++] = text[i];
        }

        /// <summary>
        /// Links a placed object when it needs it: an interpreter, or DT_NEEDED libraries. Static PIEs
        /// (no interpreter, nothing needed) are left alone: they relocate themselves.
        /// </summary>
        public static ElfError LinkIfNeeded(in ElfImage image, ulong bias, ulong start, ulong end, ReadOnlySpan<byte> objectName, ref LoadedProgram program)
        {
            if (!image.HasDynamicSection)
                return ElfError.Ok;
            AddressSpaceView view = AddressSpaceView.OfMemory((byte*)(bias + start), start, end - start, isWritable: true);
            ProgramHeader dynamicHeader = image.ProgramHeaderAt(image.DynamicIndex);
            ElfError error = DynamicSection.Decode(view, dynamicHeader.VirtualAddress, dynamicHeader.MemorySize, out DynamicSection dynamic);
            if (!error.IsOk)
                return error;
            bool hasInterpreter = image.InterpreterIndex >= 0;
            if (!hasInterpreter && dynamic.NeededCount == 0)
                return ElfError.Ok; // a static PIE
            StartMessage();
            ulong tlsModuleId = 0;
            long tlsBlockOffset = 0;
            if (image.TlsIndex >= 0 && image.ProgramHeaderAt(image.TlsIndex).MemorySize != 0)
            {
                // The executable first: its local-exec offsets assume its block right below the thread pointer.
                ProgramHeader tls = image.ProgramHeaderAt(image.TlsIndex);
                if (!s_staticTls.Add(bias + tls.VirtualAddress, tls.FileSize, tls.MemorySize, tls.Alignment, out tlsModuleId, out tlsBlockOffset))
                    return ElfError.Of(ElfStatus.BadTlsSegment, index: image.TlsIndex, value: tls.Alignment);
            }
            DynamicSymbols symbols;
            error = LoadLibraries(dynamic, objectName);
            if (error.IsOk)
                error = LinkAll(dynamic, view, bias, tlsModuleId, tlsBlockOffset, objectName, out symbols);
            else
                symbols = default;
            for (int i = 0; i < s_libraryCount; i++)
            {
                LibraryRecord* library = s_libraries + i;
                if (error.IsOk)
                    ProgramLoader.Protect(library->Image, library->Bias, library->Start, library->End, linked: true);
                else
                    Osv.Core.Memory.ApplicationMemory.Unmap(library->Bias + library->Start, library->End - library->Start);
                System.Runtime.InteropServices.NativeMemory.Free(library->File);
                library->File = null;
            }
            if (!error.IsOk)
            {
                s_libraryCount = 0;
                return error;
            }
            s_executable = dynamic;
            s_executableSymbols = symbols;
            s_executableBias = bias;
            s_executableTlsModuleId = tlsModuleId;
            s_executableTlsBlockOffset = tlsBlockOffset;
            s_startupTlsSize = s_staticTls.Size;
            s_startupTlsAlignment = s_staticTls.Alignment;
            DescribeExecutable(image, bias, dynamicHeader.VirtualAddress, tlsModuleId, objectName);
            System.Threading.Volatile.Write(ref s_hasExecutable, true);
            Publish();
            program.IsLinked = true;
            program.IsSharedObject = !hasInterpreter;
            program.Dynamic = dynamic;
            program.Symbols = symbols;
            return ElfError.Ok;
        }

        /// <summary>
        /// Relocates each library, last loaded first, then the executable, all against one scope: executable,
        /// libraries in load order, kernel. The executable comes last as in glibc: its COPY relocations copy a
        /// library's data (a C++ type_info, whose vtable word is the library's own relocation) once relocated.
        /// </summary>
        private static ElfError LinkAll(in DynamicSection dynamic, AddressSpaceView view, ulong bias, ulong tlsModuleId, long tlsBlockOffset,
            ReadOnlySpan<byte> objectName, out DynamicSymbols symbols)
        {
            ElfError error = DynamicSymbols.Create(dynamic, out symbols);
            if (!error.IsOk)
                return error;
            error = KernelSymbols(out DynamicSymbols kernel);
            if (!error.IsOk)
                return error;
            DynamicSymbols executableSymbols = symbols;
            SymbolScope scope = GlobalScope(&executableSymbols, bias, tlsModuleId, tlsBlockOffset, s_libraryCount, &kernel);
            for (int i = s_libraryCount - 1; i >= 0 && error.IsOk; i--)
                error = RelocateLibrary(i, &scope);
            if (error.IsOk)
                error = Relocate(dynamic, executableSymbols, view, bias, tlsModuleId, tlsBlockOffset, objectName, &scope, (ulong)(s_libraries + ExecutableSlot));
            return error;
        }

        /// <summary>The lookup order every binding uses (<see cref="SymbolScope"/>): the executable, the first <paramref name="libraryCount"/> libraries, the kernel (none when null).</summary>
        private static SymbolScope GlobalScope(DynamicSymbols* executable, ulong executableBias, ulong executableTlsModuleId, long executableTlsBlockOffset,
            int libraryCount, DynamicSymbols* kernel)
        {
            SymbolScope scope = default;
            scope.Executable = executable;
            scope.ExecutableBias = executableBias;
            scope.ExecutableTlsModuleId = executableTlsModuleId;
            scope.ExecutableTlsBlockOffset = executableTlsBlockOffset;
            scope.Libraries = s_scope;
            scope.LibraryCount = libraryCount;
            scope.Provider = kernel;
            return scope;
        }

        /// <summary>Relocates library <paramref name="index"/> in place against <paramref name="scope"/>.</summary>
        private static ElfError RelocateLibrary(int index, SymbolScope* scope)
        {
            LibraryRecord* library = s_libraries + index;
            AddressSpaceView libraryView = AddressSpaceView.OfMemory((byte*)(library->Bias + library->Start), library->Start,
                library->End - library->Start, isWritable: true);
            return Relocate(library->Dynamic, library->Symbols, libraryView, library->Bias, s_scope[index].TlsModuleId, s_scope[index].TlsBlockOffset,
                new ReadOnlySpan<byte>(library->Path, library->PathLength), scope, (ulong)library);
        }

        /// <summary>Relocates one object; <paramref name="objectId"/> is its record, which its PLT0 hands the lazy resolver.</summary>
        private static ElfError Relocate(in DynamicSection dynamic, in DynamicSymbols symbols, AddressSpaceView view, ulong bias,
            ulong tlsModuleId, long tlsBlockOffset, ReadOnlySpan<byte> objectName, SymbolScope* scope, ulong objectId)
        {
            RelocationContext context = default;
            context.Image = view;
            context.LoadBias = bias;
            context.TlsModuleId = tlsModuleId;
            context.TlsBlockOffset = tlsBlockOffset;
            context.Resolve = &SymbolScope.Resolve;
            context.ResolverState = scope;
            context.CallIfuncResolver = &CallIfuncResolver;
            context.ObjectName = objectName;
            context.DefersMissingFunctions = !s_bindNowRequested && !s_openBindsNow && LazyBinding.IsAllowed(dynamic);
            ElfError error = RelocationApplier.ApplyAll(dynamic, symbols, context, out int deferredSlots);
            if (error.IsOk && deferredSlots > 0)
                error = LazyBinding.InstallResolver(dynamic, view, objectId, osv_lazy_binding_trampoline_address());
            if (error.Status == ElfStatus.UndefinedSymbol)
            {
                Append("symbol "u8);
                Append(error.SymbolName);
                if (!error.SymbolVersion.IsEmpty)
                {
                    Append(" (version "u8);
                    Append(error.SymbolVersion);
                    Append(")"u8);
                }
                Append(" not found, needed by "u8);
                Append(error.ObjectName);
            }
            return error;
        }

        /// <summary>Breadth first from the executable: every DT_NEEDED name the kernel does not provide and no loaded library answers to.</summary>
        private static ElfError LoadLibraries(in DynamicSection executable, ReadOnlySpan<byte> executableName, int next = 0)
        {
            if (!EnsureRecords())
                return ElfError.Of(ElfStatus.OutOfMemory);
            DynamicSection current = executable;
            ReadOnlySpan<byte> currentName = executableName;
            while (true)
            {
                for (int i = 0; i < current.NeededCount; i++)
                {
                    if (!current.TryGetNeeded(i, out ReadOnlySpan<byte> needed) || KernelLibraries.Provides(needed) || IsLoaded(needed))
                        continue;
                    ElfError error = LoadLibrary(needed, current, currentName, i);
                    if (!error.IsOk)
                        return error;
                }
                if (next >= s_libraryCount)
                    return ElfError.Ok;
                LibraryRecord* library = s_libraries + next;
                current = library->Dynamic;
                currentName = new ReadOnlySpan<byte>(library->Path, library->PathLength);
                next++;
            }
        }

        private static bool IsLoaded(ReadOnlySpan<byte> needed)
        {
            for (int i = 0; i < s_libraryCount; i++)
            {
                LibraryRecord* library = s_libraries + i;
                if (ElfBytes.Equal(needed, new ReadOnlySpan<byte>(library->Name, library->NameLength))
                    || ElfBytes.Equal(needed, new ReadOnlySpan<byte>(library->Path, library->PathLength)))
                    return true;
            }
            return false;
        }

        private static ElfError LoadLibrary(ReadOnlySpan<byte> needed, in DynamicSection needing, ReadOnlySpan<byte> needingName, int neededIndex)
        {
            int slash = -1;
            for (int i = 0; i < needingName.Length; i++)
            {
                if (needingName[i] == (byte)'/')
                    slash = i;
            }
            ReadOnlySpan<byte> origin = slash < 0 ? "."u8 : needingName.Slice(0, slash);
            needing.TryGetRPath(out ReadOnlySpan<byte> rPath);
            needing.TryGetRunPath(out ReadOnlySpan<byte> runPath);
            if (s_libraryCount == LibraryCapacity || needed.Length > PathCapacity)
                return NotFound(needed, needingName, neededIndex);
            LibraryRecord* library = s_libraries + s_libraryCount;
            Span<byte> path = new Span<byte>(library->Path, PathCapacity - 1); // room for the NUL l_name needs
            byte* file = null;
            ulong length = 0;
            int pathLength = 0;
            for (int index = 0; s_readFile != null; index++)
            {
                pathLength = LibrarySearch.Candidate(needed, rPath, runPath, origin, index, path);
                if (pathLength == 0)
                    break;
                if (pathLength < 0)
                    continue;
                if (s_readFile(library->Path, pathLength, &file, &length) == 0)
                    break;
                file = null;
            }
            if (file == null)
                return NotFound(needed, needingName, neededIndex);
            ElfError error = ElfImage.Parse(file, length, ElfMachine.X86_64, out ElfImage image);
            if (error.IsOk && (image.Type != ElfFileType.SharedObject || !image.HasDynamicSection))
                error = ElfError.Of(ElfStatus.NotExecutableOrSharedObject, offset: 16, value: (ulong)image.Type);
            ulong bias = 0, start = 0, end = 0;
            if (error.IsOk)
                error = ProgramLoader.Place(image, out bias, out start, out end);
            if (!error.IsOk)
            {
                System.Runtime.InteropServices.NativeMemory.Free(file);
                return error;
            }
            AddressSpaceView view = AddressSpaceView.OfMemory((byte*)(bias + start), start, end - start, isWritable: true);
            ProgramHeader dynamicHeader = image.ProgramHeaderAt(image.DynamicIndex);
            error = DynamicSection.Decode(view, dynamicHeader.VirtualAddress, dynamicHeader.MemorySize, out DynamicSection dynamic);
            DynamicSymbols symbols = default;
            if (error.IsOk)
                error = DynamicSymbols.Create(dynamic, out symbols);
            ulong tlsModuleId = 0;
            long tlsBlockOffset = 0;
            if (error.IsOk && image.TlsIndex >= 0 && image.ProgramHeaderAt(image.TlsIndex).MemorySize != 0)
            {
                ProgramHeader tls = image.ProgramHeaderAt(image.TlsIndex);
                if (!s_staticTls.Add(bias + tls.VirtualAddress, tls.FileSize, tls.MemorySize, tls.Alignment, out tlsModuleId, out tlsBlockOffset))
                    error = ElfError.Of(ElfStatus.BadTlsSegment, index: image.TlsIndex, value: tls.Alignment);
            }
            if (!error.IsOk)
            {
                Osv.Core.Memory.ApplicationMemory.Unmap(bias + start, end - start);
                System.Runtime.InteropServices.NativeMemory.Free(file);
                return error;
            }
            library->Image = image;
            library->Dynamic = dynamic;
            library->Symbols = symbols;
            library->Bias = bias;
            library->Start = start;
            library->End = end;
            library->File = file;
            library->PathLength = pathLength;
            library->Path[pathLength] = 0;
            library->Map.Address = bias;
            library->Map.Name = library->Path;
            library->Map.Dynamic = bias + dynamicHeader.VirtualAddress;
            ulong headers = ProgramLoader.ProgramHeadersAddress(image);
            library->ProgramHeaders = headers == 0 ? 0 : bias + headers;
            library->ProgramHeaderCount = headers == 0 ? 0 : image.ProgramHeaderCount;
            library->TlsModuleId = tlsModuleId;
            for (int i = 0; i < needed.Length; i++)
                library->Name[i] = needed[i];
            library->NameLength = needed.Length;
            ScopeObject* entry = s_scope + s_libraryCount;
            entry->Symbols = &library->Symbols;
            entry->Bias = bias;
            entry->TlsModuleId = tlsModuleId;
            entry->TlsBlockOffset = tlsBlockOffset;
            s_libraryCount++;
            return ElfError.Ok;
        }

        private static ElfError NotFound(ReadOnlySpan<byte> needed, ReadOnlySpan<byte> needingName, int neededIndex)
        {
            Append("library "u8);
            Append(needed);
            Append(" not found, needed by "u8);
            Append(needingName);
            return ElfError.Of(ElfStatus.NeedsDynamicLinking, index: neededIndex);
        }

        private static ulong CallIfuncResolver(ulong resolver) => ((delegate* unmanaged<ulong>)resolver)();
    }
}
