using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Console;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Process;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// glibc's fortified entry points (-D_FORTIFY_SOURCE): each gets the destination's size as the
    /// compiler knows it, checks the operation fits, and otherwise calls __chk_fail, which prints
    /// glibc's line and aborts (134). The work itself is musl's leaf code or the kernel's calls.
    /// __snprintf_chk and __sprintf_chk are assembly stubs (Boot/libc_glue.asm) that call the v* ones here.
    /// </summary>
    internal static unsafe class Fortify
    {
        [DllImport("*"), SuppressGCTransition] private static extern void* memcpy(void* destination, void* source, nuint length);
        [DllImport("*"), SuppressGCTransition] private static extern void* memmove(void* destination, void* source, nuint length);
        [DllImport("*"), SuppressGCTransition] private static extern void* memset(void* destination, int value, nuint length);
        [DllImport("*"), SuppressGCTransition] private static extern nuint strlen(byte* text);
        [DllImport("*"), SuppressGCTransition] private static extern nuint strnlen(byte* text, nuint limit);
        [DllImport("*"), SuppressGCTransition] private static extern int vsnprintf(byte* buffer, nuint size, byte* format, VaList* arguments);
        [DllImport("*"), SuppressGCTransition] private static extern int vasprintf(byte** result, byte* format, VaList* arguments);
        [DllImport("*"), SuppressGCTransition] private static extern byte* realpath(byte* path, byte* resolved);

        private static void Fail()
        {
            KernelConsole.WriteLine("*** buffer overflow detected ***: terminated");
            LibcStart.AbortProgram();
        }

        private static void Check(bool fits)
        {
            if (!fits)
                Fail();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__chk_fail")]
        public static void CheckFailed() => Fail();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__memcpy_chk")]
        public static void* MemoryCopy(void* destination, void* source, nuint length, nuint size)
        {
            Check(length <= size);
            return memcpy(destination, source, length);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__memmove_chk")]
        public static void* MemoryMove(void* destination, void* source, nuint length, nuint size)
        {
            Check(length <= size);
            return memmove(destination, source, length);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__mempcpy_chk")]
        public static void* MemoryCopyEnd(void* destination, void* source, nuint length, nuint size)
        {
            Check(length <= size);
            memcpy(destination, source, length);
            return (byte*)destination + length;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__memset_chk")]
        public static void* MemorySet(void* destination, int value, nuint length, nuint size)
        {
            Check(length <= size);
            return memset(destination, value, length);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__explicit_bzero_chk")]
        public static void ExplicitZero(void* destination, nuint length, nuint size)
        {
            Check(length <= size);
            memset(destination, 0, length);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__strcpy_chk")]
        public static byte* StringCopy(byte* destination, byte* source, nuint size)
        {
            nuint length = strlen(source);
            Check(length < size);
            memcpy(destination, source, length + 1);
            return destination;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__stpcpy_chk")]
        public static byte* StringCopyEnd(byte* destination, byte* source, nuint size)
        {
            nuint length = strlen(source);
            Check(length < size);
            memcpy(destination, source, length + 1);
            return destination + length;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__strncpy_chk")]
        public static byte* StringCopyBounded(byte* destination, byte* source, nuint length, nuint size)
        {
            Check(length <= size);
            nuint copied = strnlen(source, length);
            memcpy(destination, source, copied);
            memset(destination + copied, 0, length - copied);
            return destination;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__strcat_chk")]
        public static byte* StringConcatenate(byte* destination, byte* source, nuint size)
        {
            nuint start = strlen(destination);
            nuint length = strlen(source);
            Check(start + length < size);
            memcpy(destination + start, source, length + 1);
            return destination;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__strncat_chk")]
        public static byte* StringConcatenateBounded(byte* destination, byte* source, nuint length, nuint size)
        {
            nuint start = strlen(destination);
            nuint copied = strnlen(source, length);
            Check(start + copied < size);
            memcpy(destination + start, source, copied);
            destination[start + copied] = 0;
            return destination;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__read_chk")]
        public static nint Read(int fd, byte* buffer, nuint count, nuint size)
        {
            Check(count <= size);
            return (nint)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Read, fd, (long)buffer, (long)count));
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__pread_chk")]
        public static nint PositionalRead(int fd, byte* buffer, nuint count, long offset, nuint size)
        {
            Check(count <= size);
            return (nint)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Pread64, fd, (long)buffer, (long)count, offset));
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__pread64_chk")]
        public static nint PositionalRead64(int fd, byte* buffer, nuint count, long offset, nuint size)
        {
            Check(count <= size);
            return (nint)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Pread64, fd, (long)buffer, (long)count, offset));
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__readlink_chk")]
        public static nint ReadLink(byte* path, byte* buffer, nuint count, nuint size)
        {
            Check(count <= size);
            return (nint)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Readlink, (long)path, (long)buffer, (long)count));
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__getcwd_chk")]
        public static byte* CurrentDirectory(byte* buffer, nuint length, nuint size)
        {
            Check(length <= size);
            return Posix.PosixFiles.CurrentDirectory(buffer, length);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fgets_chk")]
        public static byte* GetString(byte* destination, nuint size, int count, StdioFile* file)
        {
            Check((nuint)count <= size);
            return Stdio.ReadLine(destination, count, file);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fread_chk")]
        public static nuint FileRead(byte* destination, nuint destinationSize, nuint size, nuint count, StdioFile* file)
        {
            Check(size == 0 || count <= destinationSize / size);
            return Stdio.ReadItems(destination, size, count, file);
        }

        /// <summary>__vsnprintf_chk: maxlen must not exceed the object (slen).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__vsnprintf_chk")]
        public static int FormatBounded(byte* buffer, nuint maximum, int flag, nuint size, byte* format, VaList* arguments)
        {
            Check(maximum <= size);
            return vsnprintf(buffer, maximum, format, arguments);
        }

        /// <summary>__vsprintf_chk: the whole output must fit the object.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__vsprintf_chk")]
        public static int FormatUnbounded(byte* buffer, int flag, nuint size, byte* format, VaList* arguments)
        {
            int limit = size > int.MaxValue ? int.MaxValue : (int)size;
            int length = vsnprintf(buffer, (nuint)limit, format, arguments);
            Check(length >= 0 && length < limit);
            return length;
        }

        /// <summary>__vasprintf_chk (and __asprintf_chk through Boot/libc_glue.asm): vasprintf, which allocates what it needs.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__vasprintf_chk")]
        public static int FormatAllocated(byte** result, int flag, byte* format, VaList* arguments) => vasprintf(result, format, arguments);

        private const nuint PathMax = 4096;

        /// <summary>__realpath_chk: a caller's buffer must hold PATH_MAX bytes.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__realpath_chk")]
        public static byte* ResolvePath(byte* path, byte* resolved, nuint resolvedSize)
        {
            Check(resolved == null || resolvedSize >= PathMax);
            return realpath(path, resolved);
        }

        /// <summary>FD_SET & co. under fortify: the descriptor must fit an fd_set (1024 bits).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fdelt_chk")]
        public static long DescriptorElement(long descriptor)
        {
            Check(descriptor >= 0 && descriptor < 1024);
            return descriptor / 64;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__open_2")]
        public static int Open(byte* path, int flags) => (int)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Open, (long)path, flags));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__open64_2")]
        public static int Open64(byte* path, int flags) => (int)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Open, (long)path, flags));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__openat_2")]
        public static int OpenAt(int directory, byte* path, int flags) => (int)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Openat, directory, (long)path, flags));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__openat64_2")]
        public static int OpenAt64(int directory, byte* path, int flags) => (int)Posix.PosixFiles.Result(LinuxSystemCalls.Invoke(N.Openat, directory, (long)path, flags));
    }
}
