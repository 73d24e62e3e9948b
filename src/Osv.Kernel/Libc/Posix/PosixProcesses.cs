using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// The calls that start or wait for other processes. The kernel runs programs in one address space
    /// and has no fork, exec or shell, so these report that as C and POSIX define it: system(NULL) is
    /// 0 ("no command processor"), a command is -1 with ENOSYS (the child could not be created), popen
    /// is NULL with ENOSYS, fork and the exec family are -1 with ENOSYS, and waiting (pclose, wait,
    /// waitpid, ...) finds no children: -1 with ECHILD.
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
    
        private static int NotAvailable()
        {
            ErrnoLocation.Set(LibcErrors.ENOSYS);
            return -1;
        }

        private static int NoChildren()
        {
            ErrnoLocation.Set(LibcErrors.ECHILD);
            return -1;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fork")]
        public static int Fork() => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "vfork")]
        public static int VirtualFork() => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "execve")]
        public static int Execute(byte* path, byte** arguments, byte** environment) => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "execv")]
        public static int ExecuteVector(byte* path, byte** arguments) => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "execvp")]
        public static int ExecuteSearching(byte* file, byte** arguments) => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "execvpe")]
        public static int ExecuteSearchingWithEnvironment(byte* file, byte** arguments, byte** environment) => NotAvailable();

        /// <summary>execl and friends are variadic; the arguments after the path are never read.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "execl")]
        public static int ExecuteList(byte* path, byte* first) => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "execlp")]
        public static int ExecuteListSearching(byte* file, byte* first) => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "execle")]
        public static int ExecuteListWithEnvironment(byte* path, byte* first) => NotAvailable();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "wait")]
        public static int Wait(int* status) => NoChildren();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "waitpid")]
        public static int WaitForProcess(int process, int* status, int options) => NoChildren();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "wait3")]
        public static int Wait3(int* status, int options, void* usage) => NoChildren();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "wait4")]
        public static int Wait4(int process, int* status, int options, void* usage) => NoChildren();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "waitid")]
        public static int WaitForIdentifier(int type, int identifier, void* information, int options) => NoChildren();
    }
}
