using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Threads
{
    /// <summary>
    /// errno: one int per thread at %fs:0x34, the slot musl's own code (strtol, strtod, ...) writes
    /// through its <c>__pthread_self()->errno_val</c>. Application threads have their own block
    /// (<see cref="ThreadBlocks"/>); kernel threads share their CPU's.
    /// </summary>
    internal static unsafe class ErrnoLocation
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__errno_location")]
        public static int* Location() => ThreadBlocks.ErrnoSlot(ThreadBlocks.Current);

        /// <summary>musl's internal name for the same function (its members call it): defined here so that musl's own member is not linked.</summary>
        [UnmanagedCallersOnly(EntryPoint = "___errno_location")]
        [InternalEntryPoint("musl libc.a: errno in strtol.lo, strtod.lo and others")]
        private static int* MuslLocation() => ThreadBlocks.ErrnoSlot(ThreadBlocks.Current);

        /// <summary>Sets the running thread's errno (the C library's functions that fail with -1 or NULL).</summary>
        public static void Set(int error) => *ThreadBlocks.ErrnoSlot(ThreadBlocks.Current) = error;
    }
}
