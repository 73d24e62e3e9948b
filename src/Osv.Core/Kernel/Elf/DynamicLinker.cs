using System;
using Osv.Arch.X64;

namespace Osv.Core.Elf
{
    /// <summary>
    /// The kernel's dynamic linker. An application's PT_INTERP (/lib64/ld-linux-x86-64.so.2) only means
    /// "the kernel links it": the kernel image is the interpreter and stands in for the libraries
    /// <see cref="KernelLibraries"/> names. Every relocation is bound at load time (BIND_NOW for all:
    /// no lazy PLT binding), in the order <see cref="SymbolScope"/> documents: the executable, then the
    /// kernel's own .dynsym (read from the image's dynamic section at run time), then weak -> 0.
    /// TLS: the executable's PT_TLS gets module id 1 and the static block right below the thread pointer
    /// (<see cref="StaticTlsLayout"/>); every application thread's %fs block is filled from it.
    /// Not yet: DT_NEEDED libraries loaded from files.
    /// </summary>
    public static unsafe class DynamicLinker
    {
        private static DynamicSymbols s_kernelSymbols;
        private static bool s_kernelSymbolsReady;
        private const int MessageCapacity = 512;
        private static byte* s_message;
        private static int s_messageLength;
        private static StaticTlsLayout s_staticTls;

        /// <summary>Forgets the previous program's static TLS (the loader calls it before placing a program).</summary>
        public static void BeginProgram() => s_staticTls.Reset();

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
            for (int i = 0; i < dynamic.NeededCount; i++)
            {
                if (dynamic.TryGetNeeded(i, out ReadOnlySpan<byte> needed) && !KernelLibraries.Provides(needed))
                {
                    Append("library "u8);
                    Append(needed);
                    Append(" not found, needed by "u8);
                    Append(objectName);
                    return ElfError.Of(ElfStatus.NeedsDynamicLinking, index: i);
                }
            }
            ulong tlsModuleId = 0;
            long tlsBlockOffset = 0;
            if (image.TlsIndex >= 0 && image.ProgramHeaderAt(image.TlsIndex).MemorySize != 0)
            {
                // The executable first: its local-exec offsets assume its block right below the thread pointer.
                ProgramHeader tls = image.ProgramHeaderAt(image.TlsIndex);
                if (!s_staticTls.Add(bias + tls.VirtualAddress, tls.FileSize, tls.MemorySize, tls.Alignment, out tlsModuleId, out tlsBlockOffset))
                    return ElfError.Of(ElfStatus.BadTlsSegment, index: image.TlsIndex, value: tls.Alignment);
            }
            error = DynamicSymbols.Create(dynamic, out DynamicSymbols symbols);
            if (!error.IsOk)
                return error;
            error = KernelSymbols(out DynamicSymbols kernel);
            if (!error.IsOk)
                return error;

            SymbolScope scope = default;
            scope.Executable = &symbols;
            scope.ExecutableBias = bias;
            scope.ExecutableTlsModuleId = tlsModuleId;
            scope.ExecutableTlsBlockOffset = tlsBlockOffset;
            scope.Provider = &kernel;
            RelocationContext context = default;
            context.Image = view;
            context.LoadBias = bias;
            context.TlsModuleId = tlsModuleId;
            context.TlsBlockOffset = tlsBlockOffset;
            context.Resolve = &SymbolScope.Resolve;
            context.ResolverState = &scope;
            context.CallIfuncResolver = &CallIfuncResolver;
            context.ObjectName = objectName;
            error = RelocationApplier.ApplyAll(dynamic, symbols, context);
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
            if (!error.IsOk)
                return error;
            program.IsLinked = true;
            program.IsSharedObject = !hasInterpreter;
            program.Dynamic = dynamic;
            program.Symbols = symbols;
            return ElfError.Ok;
        }

        private static ulong CallIfuncResolver(ulong resolver) => ((delegate* unmanaged<ulong>)resolver)();
    }
}
