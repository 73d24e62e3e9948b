using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Pthreads;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// syslog without a syslog daemon: one address space, one program, and the console is the log, so
    /// messages go to stderr as `ident: message` (openlog's ident, or the program's short name), with
    /// setlogmask filtering priorities as on Linux. The variadic syslog and __syslog_chk are
    /// Boot/libc_glue.asm stubs over vsyslog and __vsyslog_chk.
    /// </summary>
    internal static unsafe class SystemLog
    {
        [DllImport("*"), SuppressGCTransition] private static extern int vsnprintf(byte* buffer, nuint size, byte* format, VaList* arguments);

        private const int MessageLimit = 1024;
        private static byte* s_ident;
        private static int s_mask = 0xff; // LOG_UPTO(LOG_DEBUG)

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "openlog")]
        public static void Open(byte* ident, int option, int facility) => s_ident = ident;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "closelog")]
        public static void Close() => s_ident = null;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setlogmask")]
        public static int SetMask(int mask)
        {
            int old = s_mask;
            if (mask != 0)
                s_mask = mask;
            return old;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "vsyslog")]
        public static void Log(int priority, byte* format, VaList* arguments) => Write(priority, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__vsyslog_chk")]
        public static void LogChecked(int priority, int flag, byte* format, VaList* arguments) => Write(priority, format, arguments);

        private static void Write(int priority, byte* format, VaList* arguments)
        {
            if ((s_mask & (1 << (priority & 7))) == 0)
                return;
            StdioFile* file = (StdioFile*)*Process.LibcData.Slot(Process.LibcData.Stderr);
            if (!StdioFile.IsValid(file))
                return;
            byte* message = stackalloc byte[MessageLimit];
            VaList copy = *arguments;
            int length = vsnprintf(message, MessageLimit, format, &copy);
            if (length < 0)
                return;
            if (length >= MessageLimit)
                length = MessageLimit - 1;
            byte* ident = s_ident != null ? s_ident : (byte*)*Process.LibcData.Slot(Process.LibcData.ProgramName);
            byte separator = (byte)':', space = (byte)' ', newline = (byte)'\n';
            PthreadMutex.Lock(&file->Lock, 0);
            if (ident != null)
            {
                file->WriteBytes(ident, Strings.CStrings.Length(ident));
                file->WriteBytes(&separator, 1);
                file->WriteBytes(&space, 1);
            }
            file->WriteBytes(message, length);
            if (length == 0 || message[length - 1] != newline)
                file->WriteBytes(&newline, 1);
            PthreadMutex.Unlock(&file->Lock);
        }
    }
}
