using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Elf;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// dlopen, dlsym, dlclose, dlerror (libc.so.6 since glibc 2.34, libdl.so.2 before) over the kernel's
    /// dynamic linker: a library opened is loaded with its dependencies, relocated against the global
    /// scope and initialized (dependencies first); it stays until the program ends (dlclose only checks the
    /// handle, as RTLD_NODELETE), and its finalizers run at exit with the others. A handle is the object's
    /// struct link_map (dlinfo); dlopen of a library the kernel stands in for (libc.so.6, libm.so.6, ...) gives
    /// the kernel image's. The error text is the process's, not per thread.
    /// </summary>
    internal static unsafe class DynamicLoading
    {
        private const int MessageCapacity = 512;
        private const int BindNow = 2; // RTLD_NOW (RTLD_LAZY is 1)
        private static byte* s_message; // MessageCapacity + 1 bytes, kept for the kernel's lifetime
        private static bool s_hasError;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dlopen")]
        public static void* Open(byte* file, int mode)
        {
            if (file == null)
                return (void*)DynamicLinker.GlobalHandle;
            ulong handle = DynamicLinker.Open(new System.ReadOnlySpan<byte>(file, Strings.CStrings.Length(file)), ThreadBlocks.Current, (mode & BindNow) != 0, out int first, out int count);
            if (handle == 0)
            {
                SetError(DynamicLinker.LastMessage);
                return null;
            }
            for (int i = first + count - 1; i >= first; i--)
            {
                DynamicLinker.Library(i, out DynamicSection library, out ulong bias);
                if (library.Init != 0)
                    ((delegate* unmanaged<int, byte**, byte**, void>)(bias + library.Init))(0, null, null);
                ulong* entries = (ulong*)(bias + library.InitArray);
                ulong entryCount = library.InitArray == 0 ? 0 : library.InitArraySize / 8;
                for (ulong j = 0; j < entryCount; j++)
                {
                    if (entries[j] != 0 && entries[j] != ulong.MaxValue)
                        ((delegate* unmanaged<int, byte**, byte**, void>)entries[j])(0, null, null);
                }
            }
            return (void*)handle;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dlsym")]
        public static void* Symbol(void* handle, byte* name)
        {
            if (handle != null && !DynamicLinker.IsHandle((ulong)handle))
            {
                SetError("invalid handle"u8);
                return null;
            }
            int length = 0;
            while (name != null && name[length] != 0)
                length++;
            System.ReadOnlySpan<byte> symbol = new System.ReadOnlySpan<byte>(name, length);
            ulong address = DynamicLinker.Symbol((ulong)handle, symbol);
            if (address == 0)
            {
                SetError("undefined symbol: "u8, symbol);
                return null;
            }
            return (void*)address;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dlclose")]
        public static int Close(void* handle)
        {
            if (handle == null || !DynamicLinker.IsHandle((ulong)handle))
            {
                SetError("invalid handle"u8);
                return -1;
            }
            return 0;
        }

        private const int InfoLinkMap = 2; // RTLD_DI_LINKMAP: *(struct link_map **)arg
        private const int InfoTlsModuleId = 9; // RTLD_DI_TLS_MODID: *(size_t *)arg
        private const int InfoTlsData = 10; // RTLD_DI_TLS_DATA: *(void **)arg, the calling thread's block
        private const int InfoProgramHeaders = 11; // RTLD_DI_PHDR: *(const ElfW(Phdr) **)arg, returns the count

        /// <summary>dlinfo: a handle is its object's link map (glibc's too); the requests programs use are answered, others are an error.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dlinfo")]
        public static int Info(void* handle, int request, void* argument)
        {
            int count = DynamicLinker.LoadedObjectCount;
            LoadedObject loaded = default;
            bool found = false;
            for (int i = 0; i < count && !found; i++)
                found = DynamicLinker.TryGetLoadedObject(i, count, out loaded) && loaded.Map == handle;
            if (!found)
            {
                SetError("invalid handle"u8);
                return -1;
            }
            switch (request)
            {
                case InfoLinkMap:
                    *(LinkMap**)argument = loaded.Map;
                    return 0;
                case InfoTlsModuleId:
                    *(ulong*)argument = loaded.TlsModuleId;
                    return 0;
                case InfoTlsData:
                    *(ulong*)argument = loaded.TlsModuleId == 0 ? 0 : DynamicLinker.TlsAddress(ThreadBlocks.Current, loaded.TlsModuleId, 0);
                    return 0;
                case InfoProgramHeaders:
                    *(byte**)argument = loaded.Headers.Entries;
                    return loaded.Headers.Count;
                default:
                    SetError("unsupported dlinfo request"u8);
                    return -1;
            }
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dlerror")]
        public static byte* Error()
        {
            if (!s_hasError)
                return null;
            s_hasError = false;
            return s_message;
        }

        private static void SetError(System.ReadOnlySpan<byte> text) => SetError(text, default);

        private static void SetError(System.ReadOnlySpan<byte> text, System.ReadOnlySpan<byte> more)
        {
            if (s_message == null)
            {
                s_message = (byte*)NativeMemory.Alloc(MessageCapacity + 1);
                if (s_message == null)
                    return;
            }
            int length = 0;
            for (int i = 0; i < text.Length && length < MessageCapacity; i++)
                s_message[length++] = text[i];
            for (int i = 0; i < more.Length && length < MessageCapacity; i++)
                s_message[length++] = more[i];
            s_message[length] = 0;
            s_hasError = true;
        }
    }
}
