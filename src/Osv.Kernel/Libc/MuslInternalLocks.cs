using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Diagnostics;

namespace Osv.Kernel.Libc
{
    /// <summary>
    /// musl's internal locks, provided by the kernel so that the leaf code the image links from libc.a
    /// (random, the stdio formatting core) does not pull in musl's own, which sleep with futex system
    /// calls (src/Osv.Kernel/Libc/musl-os-members.txt). Both are hidden symbols inside musl and never
    /// public ABI.
    /// </summary>
    internal static unsafe class MuslInternalLocks
    {
        /// <summary>
        /// musl's LOCK(): guards a few words of static state (random's generator) for a handful of
        /// instructions, so a spin lock is enough; a holder that is preempted only delays the spinner
        /// to the end of its time slice.
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "__lock")]
        [InternalEntryPoint("musl libc.a: LOCK() in random.lo and others")]
        private static void Lock(int* word)
        {
            while (Interlocked.CompareExchange(ref *word, 1, 0) != 0)
            {
                while (Volatile.Read(ref *word) != 0)
                {
                }
            }
        }

        [UnmanagedCallersOnly(EntryPoint = "__unlock")]
        [InternalEntryPoint("musl libc.a: UNLOCK() in random.lo and others")]
        private static void Unlock(int* word) => Interlocked.Exchange(ref *word, 0);

        /// <summary>
        /// musl's FILE lock. The linked stdio code runs only on string streams (snprintf, strtod's
        /// scanner), which musl creates with lock = -1 and so never locks; a call means a real musl
        /// FILE stream reached the kernel, whose stdio is C#.
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "__lockfile")]
        [InternalEntryPoint("musl libc.a: FLOCK() in vfprintf.lo, __toread.lo and others")]
        private static int LockFile(void* file)
        {
            Panic.Fail("musl's __lockfile called: a musl FILE stream is in use, but the kernel's stdio is C#");
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "__unlockfile")]
        [InternalEntryPoint("musl libc.a: FUNLOCK() in vfprintf.lo, __toread.lo and others")]
        private static void UnlockFile(void* file) =>
            Panic.Fail("musl's __unlockfile called: a musl FILE stream is in use, but the kernel's stdio is C#");
    }
}
