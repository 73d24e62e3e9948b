using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc
{
    /// <summary>
    /// musl's names for the malloc its own code calls (__tz.lo, locale_map.lo, freelocale.lo), pointed at
    /// the kernel's C# malloc so that musl's allocator, which maps memory with system calls, stays out.
    /// </summary>
    internal static unsafe class MuslInternalAllocator
    {
        [UnmanagedCallersOnly(EntryPoint = "__libc_malloc")]
        [InternalEntryPoint("musl libc.a: __libc_malloc in __tz.lo, locale_map.lo and newlocale.lo")]
        private static void* Allocate(nuint size) => Malloc.Malloc.AllocateOrFail(size);

        [UnmanagedCallersOnly(EntryPoint = "__libc_free")]
        [InternalEntryPoint("musl libc.a: __libc_free in freelocale.lo")]
        private static void Free(void* block) => Malloc.Malloc.Release(block);
    }
}
