using System;
using System.Threading;
using Osv.Arch.X64;

namespace Osv.Core.Elf
{
    /// <summary>
    /// The loaded objects as the introspection calls see them: object 0 is the executable, then the libraries
    /// in load order, then the kernel image (dladdr names it "libc.so.6", the library most of its symbols stand
    /// in for). Readers take no lock: records are only appended, and a library becomes visible (<see
    /// cref="s_published"/>) only once dlopen or the start-up link finished it, so a reader running beside
    /// dlopen sees the objects before or after it, never a half-made one. The link maps are chained in the
    /// same order: executable, libraries, kernel.
    /// </summary>
    public static unsafe partial class DynamicLinker
    {
        private static int s_published;
        private static ulong s_additions, s_removals;
        private static byte* s_kernelHeaders; // KernelSegmentCount program headers, kept for the kernel's lifetime
        private const int KernelSegmentCount = 5;

        /// <summary>How many objects the introspection calls see now (0 without a program the kernel linked).</summary>
        public static int LoadedObjectCount => Volatile.Read(ref s_hasExecutable) ? Volatile.Read(ref s_published) + 2 : 0;

        /// <summary>dl_iterate_phdr's dlpi_adds: objects added since boot; grows whenever a new object may have appeared.</summary>
        public static ulong LoadedObjectAdditions => Volatile.Read(ref s_additions);

        /// <summary>dl_iterate_phdr's dlpi_subs: grows when objects went away (a program ended).</summary>
        public static ulong LoadedObjectRemovals => Volatile.Read(ref s_removals);

        /// <summary>Object <paramref name="index"/> of the <see cref="LoadedObjectCount"/> the caller read.</summary>
        public static bool TryGetLoadedObject(int index, int count, out LoadedObject loaded)
        {
            loaded = default;
            if (index < 0 || index >= count || s_libraries == null)
                return false;
            LibraryRecord* record = index == 0 ? s_libraries + ExecutableSlot : index == count - 1 ? s_libraries + KernelSlot : s_libraries + index - 1;
            loaded.Map = &record->Map;
            loaded.Path = record->Path;
            loaded.Headers = new ProgramHeaderTable((byte*)record->ProgramHeaders, record->ProgramHeaderCount, record->Bias);
            loaded.Symbols = record->Symbols;
            loaded.SymbolTable = record->Dynamic.SymbolTable == 0 ? 0 : record->Bias + record->Dynamic.SymbolTable;
            loaded.TlsModuleId = record->TlsModuleId;
            return true;
        }

        /// <summary>The object one of whose PT_LOAD segments holds <paramref name="address"/>.</summary>
        public static bool TryFindLoadedObject(ulong address, out LoadedObject loaded)
        {
            int count = LoadedObjectCount;
            for (int i = 0; i < count; i++)
            {
                if (TryGetLoadedObject(i, count, out loaded) && loaded.Headers.Covers(address))
                    return true;
            }
            loaded = default;
            return false;
        }

        /// <summary>The library records, the executable's and the kernel's (allocated and described once).</summary>
        private static bool EnsureRecords()
        {
            if (s_libraries != null)
                return true;
            LibraryRecord* records = (LibraryRecord*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(RecordCount * sizeof(LibraryRecord)));
            s_scope = (ScopeObject*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(LibraryCapacity * sizeof(ScopeObject)));
            s_kernelHeaders = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(KernelSegmentCount * ProgramHeader.Size));
            if (records == null || s_scope == null || s_kernelHeaders == null)
                return false;
            DescribeKernel(records + KernelSlot);
            s_libraries = records;
            return true;
        }

        /// <summary>
        /// The kernel image has no program headers in memory (its ELF header is not loaded), so it gets a table
        /// made from the linker script's boundaries: text, rodata, data and the symbol pages as PT_LOADs, and
        /// PT_DYNAMIC. It has no PT_GNU_EH_FRAME: C++ exceptions cannot unwind through kernel frames.
        /// </summary>
        private static void DescribeKernel(LibraryRecord* kernel)
        {
            ulong imageStart = BootImage.ImageStart;
            WriteKernelHeader(0, ProgramHeaderType.Load, ProgramHeader.Readable | ProgramHeader.Executable, BootImage.TextStart, BootImage.TextEnd, imageStart);
            WriteKernelHeader(1, ProgramHeaderType.Load, ProgramHeader.Readable, BootImage.ReadOnlyStart, BootImage.ReadOnlyEnd, imageStart);
            WriteKernelHeader(2, ProgramHeaderType.Load, ProgramHeader.Readable | ProgramHeader.Writable, BootImage.DataStart, BootImage.DataEnd, imageStart);
            WriteKernelHeader(3, ProgramHeaderType.Load, ProgramHeader.Readable, BootImage.SymbolsStart, BootImage.ImageEnd, imageStart);
            WriteKernelHeader(4, ProgramHeaderType.Dynamic, ProgramHeader.Readable | ProgramHeader.Writable, BootImage.DynamicStart, BootImage.DynamicEnd, imageStart);
            kernel->ProgramHeaders = (ulong)s_kernelHeaders;
            kernel->ProgramHeaderCount = KernelSegmentCount;
            ReadOnlySpan<byte> name = "libc.so.6"u8;
            for (int i = 0; i < name.Length; i++)
                kernel->Path[i] = name[i];
            kernel->Path[name.Length] = 0;
            kernel->PathLength = name.Length;
            kernel->Map.Name = kernel->Path;
            kernel->Map.Dynamic = BootImage.DynamicStart;
            if (KernelSymbols(out DynamicSymbols symbols).IsOk)
            {
                kernel->Symbols = symbols;
                kernel->Dynamic.SymbolTable = SymbolTableOf(BootImage.DynamicStart, BootImage.DynamicEnd);
            }
        }

        private static void WriteKernelHeader(int index, ProgramHeaderType type, uint flags, ulong start, ulong end, ulong imageStart)
        {
            byte* entry = s_kernelHeaders + index * ProgramHeader.Size;
            *(uint*)entry = (uint)type;
            *(uint*)(entry + 4) = flags;
            *(ulong*)(entry + 8) = start - imageStart; // p_offset: where it lies in the image, not in loader.elf
            *(ulong*)(entry + 16) = start;
            *(ulong*)(entry + 24) = start;
            *(ulong*)(entry + 32) = end - start;
            *(ulong*)(entry + 40) = end - start;
            *(ulong*)(entry + 48) = type == ProgramHeaderType.Load ? 4096UL : 8UL;
        }

        /// <summary>DT_SYMTAB of the kernel's own dynamic section (identity-mapped, so the value is the address).</summary>
        private static ulong SymbolTableOf(ulong dynamicStart, ulong dynamicEnd)
        {
            for (ulong entry = dynamicStart; entry + DynamicSection.EntrySize <= dynamicEnd; entry += DynamicSection.EntrySize)
            {
                long tag = *(long*)entry;
                if (tag == 0)
                    break;
                if (tag == (long)DynamicTag.SymbolTable)
                    return *(ulong*)(entry + 8);
            }
            return 0;
        }

        /// <summary>The executable's record, at the start-up link (its file is still in memory for the header table's place).</summary>
        private static void DescribeExecutable(in ElfImage image, ulong bias, ulong dynamicAddress, ulong tlsModuleId, ReadOnlySpan<byte> path)
        {
            LibraryRecord* executable = s_libraries + ExecutableSlot;
            int length = path.Length < PathCapacity ? path.Length : PathCapacity - 1;
            for (int i = 0; i < length; i++)
                executable->Path[i] = path[i];
            executable->Path[length] = 0;
            executable->PathLength = length;
            executable->Name[0] = 0;
            executable->NameLength = 0;
            executable->Bias = bias;
            executable->Dynamic = s_executable;
            executable->Symbols = s_executableSymbols;
            ulong headers = ProgramLoader.ProgramHeadersAddress(image);
            executable->ProgramHeaders = headers == 0 ? 0 : bias + headers;
            executable->ProgramHeaderCount = headers == 0 ? 0 : image.ProgramHeaderCount;
            executable->TlsModuleId = tlsModuleId;
            executable->Map.Address = bias;
            executable->Map.Name = executable->Name; // "" as in glibc; dladdr reports the path instead
            executable->Map.Dynamic = bias + dynamicAddress;
            executable->Map.Previous = null;
            executable->Map.Next = &(s_libraries + KernelSlot)->Map;
            (s_libraries + KernelSlot)->Map.Previous = &executable->Map;
            Volatile.Write(ref s_additions, s_additions + 2); // the executable and the kernel
        }

        /// <summary>Makes the libraries loaded since the last call visible: chained into the link maps, then counted.</summary>
        private static void Publish()
        {
            int old = s_published;
            int count = s_libraryCount;
            if (count == old)
                return;
            LinkMap* kernel = &(s_libraries + KernelSlot)->Map;
            LinkMap* before = old == 0 ? &(s_libraries + ExecutableSlot)->Map : &(s_libraries + old - 1)->Map;
            for (int i = old; i < count; i++)
            {
                LinkMap* map = &(s_libraries + i)->Map;
                map->Previous = i == old ? before : &(s_libraries + i - 1)->Map;
                map->Next = i == count - 1 ? kernel : &(s_libraries + i + 1)->Map;
            }
            // Readers walking l_next see the old chain or the whole new one.
            Volatile.Write(ref *(ulong*)&before->Next, (ulong)&(s_libraries + old)->Map);
            kernel->Previous = &(s_libraries + count - 1)->Map;
            Volatile.Write(ref s_published, count);
            Volatile.Write(ref s_additions, s_additions + (ulong)(count - old)); // writers hold the open lock or start the program
        }

        /// <summary>The program's objects go away with it (<see cref="BeginProgram"/>).</summary>
        private static void Unpublish()
        {
            if (!Volatile.Read(ref s_hasExecutable))
                return;
            Volatile.Write(ref s_hasExecutable, false);
            Volatile.Write(ref s_removals, s_removals + (ulong)s_published + 2);
            Volatile.Write(ref s_published, 0);
        }
    }
}
