using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// The calls that start another process through a shell. The kernel runs one program in one
    /// address space and has no shell or fork, so these report that as C and POSIX define it:
    /// system(NULL) is 0 ("no command processor"), a command is -1 with ENOSYS (the child could not be
    /// created), popen is NULL with ENOSYS, and pclose of anything is -1 with ECHILD.
    /// </summary>
    internal static unsafe class PosixProcesses
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "system")]
        public static int RunCommand(byte* command)
        {
            if (command == null)
                return 0;
            ErrnoLocation.Set(LibcErrors.ENOSYS);
            return -1;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "popen")]
        public static void* OpenPipe(byte* command, byte* mode)
        {
            ErrnoLocation.Set(LibcErrors.ENOSYS);
            return null;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pclose")]
        public static int ClosePipe(void* stream)
        {
            ErrnoLocation.Set(LibcErrors.ECHILD);
            return -1;
        }
    }
}
