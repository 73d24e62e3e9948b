using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// perror, __assert_fail and glibc's error/error_at_line: messages about the program's state written
    /// to its stderr stream, in glibc's words (`prefix: strerror(errno)`; `prog: file:line: function:
    /// Assertion `x' failed.`; `prog: message: strerror(errnum)`, after flushing stdout, and exit when
    /// the status is not 0). The variadic error and error_at_line are Boot/libc_glue.asm stubs.
    /// </summary>
    internal static unsafe class ErrorMessages
    {
        [DllImport("*"), SuppressGCTransition] private static extern byte* strerror(int error);
        [DllImport("*"), SuppressGCTransition] private static extern int vsnprintf(byte* buffer, nuint size, byte* format, VaList* arguments);

        private const int MessageLimit = 1024;

        private static StdioFile* StandardError => (StdioFile*)*Process.LibcData.Slot(Process.LibcData.Stderr);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "perror")]
        public static void PrintError(byte* prefix)
        {
            int error = *ThreadBlocks.ErrnoSlot(ThreadBlocks.Current);
            StdioFile* file = StandardError;
            if (!StdioFile.IsValid(file))
                return;
            PthreadMutex.Lock(&file->Lock, 0);
            if (prefix != null && *prefix != 0)
            {
                Write(file, prefix);
                Write(file, ": "u8);
            }
            Write(file, strerror(error));
            Write(file, "\n"u8);
            PthreadMutex.Unlock(&file->Lock);
            ErrnoLocation.Set(error);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__assert_fail")]
        public static void AssertionFailed(byte* assertion, byte* file, uint line, byte* function)
        {
            StdioFile* stream = StandardError;
            if (StdioFile.IsValid(stream))
            {
                PthreadMutex.Lock(&stream->Lock, 0);
                byte* program = (byte*)*Process.LibcData.Slot(Process.LibcData.ProgramFullName);
                if (program != null)
                {
                    Write(stream, program);
                    Write(stream, ": "u8);
                }
                Write(stream, file);
                Write(stream, ":"u8);
                WriteNumber(stream, line);
                Write(stream, ": "u8);
                if (function != null)
                {
                    Write(stream, function);
                    Write(stream, ": "u8);
                }
                Write(stream, "Assertion `"u8);
                Write(stream, assertion);
                Write(stream, "' failed.\n"u8);
                stream->Flush();
                PthreadMutex.Unlock(&stream->Lock);
            }
            Process.LibcStart.AbortFromLibrary();
        }

        [UnmanagedCallersOnly(EntryPoint = "osv_error_v")]
        [InternalEntryPoint("libc_glue.asm: error")]
        private static void Error(int status, int error, byte* format, VaList* arguments) => Report(status, error, null, 0, format, arguments);

        [UnmanagedCallersOnly(EntryPoint = "osv_error_at_line_v")]
        [InternalEntryPoint("libc_glue.asm: error_at_line")]
        private static void ErrorAtLine(int status, int error, byte* file, uint line, byte* format, VaList* arguments) =>
            Report(status, error, file, line, format, arguments);

        private static void Report(int status, int error, byte* sourceFile, uint line, byte* format, VaList* arguments)
        {
            StdioFile.FlushAll(); // glibc flushes stdout first, so the message lands after what was printed
            StdioFile* stream = StandardError;
            if (StdioFile.IsValid(stream))
            {
                byte* message = stackalloc byte[MessageLimit];
                VaList copy = *arguments;
                int length = vsnprintf(message, MessageLimit, format, &copy);
                if (length >= MessageLimit)
                    length = MessageLimit - 1;
                PthreadMutex.Lock(&stream->Lock, 0);
                byte* program = (byte*)*Process.LibcData.Slot(Process.LibcData.ProgramFullName);
                if (program != null)
                {
                    Write(stream, program);
                    Write(stream, ":"u8);
                }
                if (sourceFile != null)
                {
                    Write(stream, sourceFile);
                    Write(stream, ":"u8);
                    WriteNumber(stream, line);
                    Write(stream, ":"u8);
                }
                Write(stream, " "u8);
                if (length > 0)
                    stream->WriteBytes(message, length);
                if (error != 0)
                {
                    Write(stream, ": "u8);
                    Write(stream, strerror(error));
                }
                Write(stream, "\n"u8);
                stream->Flush();
                PthreadMutex.Unlock(&stream->Lock);
            }
            if (status != 0)
                Process.LibcStart.Exit(status);
        }

        private static void Write(StdioFile* file, byte* text) => file->WriteBytes(text, Strings.CStrings.Length(text));

        private static void Write(StdioFile* file, System.ReadOnlySpan<byte> text)
        {
            fixed (byte* bytes = text)
                file->WriteBytes(bytes, text.Length);
        }

        private static void WriteNumber(StdioFile* file, uint value)
        {
            byte* digits = stackalloc byte[10];
            int count = 0;
            do
            {
                digits[9 - count++] = (byte)('0' + value % 10);
                value /= 10;
            }
            while (value != 0);
            file->WriteBytes(digits + 10 - count, count);
        }
    }
}
