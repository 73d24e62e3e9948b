using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Elf;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// What a program may ask about the objects it is made of (glibc's layouts, &lt;dlfcn.h&gt; and &lt;link.h&gt;):
    /// dladdr/dladdr1 (which object and symbol an address belongs to: backtraces, Lua's C modules),
    /// dl_iterate_phdr (every object's program headers: libgcc's unwinder without _dl_find_object) and
    /// _dl_find_object (the object and PT_GNU_EH_FRAME of an address: libgcc's unwinder on glibc 2.35+).
    /// The objects are the executable, its libraries in load order and the kernel image, which dladdr names
    /// "libc.so.6" (<see cref="DynamicLinker"/>). None takes a lock: safe beside dlopen and each other.
    /// </summary>
    internal static unsafe class LoadedObjectQueries
    {
        private const int DladdrSymbolEntry = 1; // RTLD_DL_SYMENT: *extra = the ElfW(Sym) found
        private const int DladdrLinkMap = 2; // RTLD_DL_LINKMAP: *extra = the object's struct link_map

        /// <summary>Dl_info.</summary>
        private struct AddressInfo
        {
            public byte* FileName;
            public ulong FileBase;
            public byte* SymbolName;
            public ulong SymbolAddress;
        }

        /// <summary>struct dl_phdr_info, all of it (the callback's size argument says so).</summary>
        private struct PhdrInfo
        {
            public ulong Address;
            public byte* Name;
            public ulong ProgramHeaders;
            public ushort ProgramHeaderCount;
            public ulong Additions, Removals, TlsModuleId;
            public ulong TlsData;
        }

        /// <summary>The leading fields of struct dl_find_object (x86-64 has no dlfo_eh_dbase); the reserved words after them are the caller's.</summary>
        private struct FoundObject
        {
            public ulong Flags;
            public ulong MapStart, MapEnd;
            public LinkMap* LinkMap;
            public ulong EhFrame;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dladdr")]
        public static int Dladdr(void* address, void* info) => Describe((ulong)address, (AddressInfo*)info, null, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dladdr1")]
        public static int Dladdr1(void* address, void* info, void** extra, int flags) => Describe((ulong)address, (AddressInfo*)info, extra, flags);

        /// <summary>0 when no object holds the address; otherwise 1 with the object and, if one lies at or below, the nearest symbol.</summary>
        private static int Describe(ulong address, AddressInfo* info, void** extra, int flags)
        {
            if (!DynamicLinker.TryFindLoadedObject(address, out LoadedObject loaded))
                return 0;
            info->FileName = loaded.Path;
            info->FileBase = LowestAddress(loaded);
            info->SymbolName = null;
            info->SymbolAddress = 0;
            ElfSymbol symbol = default;
            bool named = address >= loaded.Bias && loaded.Symbols.TryFindNearest(address - loaded.Bias, out symbol);
            if (named)
            {
                // The name lies in the object's .dynstr, which lives as long as the object; it is NUL-terminated there.
                fixed (byte* name = symbol.Name)
                    info->SymbolName = name;
                info->SymbolAddress = loaded.Bias + symbol.Value;
            }
            if (extra != null && flags == DladdrSymbolEntry)
                *extra = named && loaded.SymbolTable != 0 ? (void*)(loaded.SymbolTable + symbol.Index * (ulong)DynamicSection.SymbolEntrySize) : null;
            else if (extra != null && flags == DladdrLinkMap)
                *extra = loaded.Map;
            return 1;
        }

        /// <summary>dli_fbase, glibc's l_map_start: where the object's first segment starts (the bias for a PIE, the image start for the kernel).</summary>
        private static ulong LowestAddress(in LoadedObject loaded) => loaded.Headers.TryGetExtent(out ulong start, out _) ? start : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dl_iterate_phdr")]
        public static int IteratePhdr(delegate* unmanaged<void*, nuint, void*, int> callback, void* data)
        {
            int count = DynamicLinker.LoadedObjectCount; // objects dlopen adds from here on are not visited
            ulong threadPointer = ThreadBlocks.Current;
            for (int i = 0; i < count; i++)
            {
                if (!DynamicLinker.TryGetLoadedObject(i, count, out LoadedObject loaded))
                    break;
                PhdrInfo info;
                info.Address = loaded.Map->Address;
                info.Name = loaded.Map->Name;
                info.ProgramHeaders = (ulong)loaded.Headers.Entries;
                info.ProgramHeaderCount = (ushort)loaded.Headers.Count;
                info.Additions = DynamicLinker.LoadedObjectAdditions;
                info.Removals = DynamicLinker.LoadedObjectRemovals;
                info.TlsModuleId = loaded.TlsModuleId;
                info.TlsData = loaded.TlsModuleId == 0 ? 0 : DynamicLinker.TlsAddress(threadPointer, loaded.TlsModuleId, 0);
                int result = callback(&info, (nuint)sizeof(PhdrInfo), data);
                if (result != 0)
                    return result;
            }
            return 0;
        }

        [OsvApi("ld-linux-x86-64.so.2")]
        [UnmanagedCallersOnly(EntryPoint = "_dl_find_object")]
        public static int FindObject(void* address, void* result)
        {
            if (!DynamicLinker.TryFindLoadedObject((ulong)address, out LoadedObject loaded))
                return -1;
            FoundObject* found = (FoundObject*)result;
            found->Flags = 0;
            loaded.Headers.TryGetExtent(out found->MapStart, out found->MapEnd);
            found->LinkMap = loaded.Map;
            found->EhFrame = loaded.Headers.TryFind(ProgramHeaderType.GnuEhFrame, out ProgramHeader ehFrame) ? loaded.Bias + ehFrame.VirtualAddress : 0;
            return 0;
        }
    }
}
