using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Pthreads;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// flockfile/ftrylockfile/funlockfile: the stream's own recursive mutex, the one every stdio call
    /// takes, so a thread holding it can keep calling stdio (Lua reads lines this way) while others wait.
    /// </summary>
    internal static unsafe class StreamLocks
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "flockfile")]
        public static void Lock(StdioFile* file)
        {
            if (StdioFile.IsValid(file))
                PthreadMutex.Lock(&file->Lock, 0);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ftrylockfile")]
        public static int TryLock(StdioFile* file)
        {
            if (!StdioFile.IsValid(file))
                return -1;
            return PthreadMutex.TryLockMutex(&file->Lock) == 0 ? 0 : -1;
        }

        private const int LockingQuery = 0, LockingInternal = 1;

        /// <summary>
        /// __fsetlocking (stdio_ext.h): every stream locks internally, and keeps doing so when a program
        /// asks for FSETLOCKING_BYCALLER: the lock is recursive, so extra locking is never wrong, only slower.
        /// </summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fsetlocking")]
        public static int SetLocking(StdioFile* file, int type) => LockingInternal;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "funlockfile")]
        public static void Unlock(StdioFile* file)
        {
            if (StdioFile.IsValid(file))
                PthreadMutex.Unlock(&file->Lock);
        }
    }
}
