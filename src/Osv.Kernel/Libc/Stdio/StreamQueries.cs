using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// <stdio_ext.h>: what a stream is doing (gnulib's close_stdout and friends ask these): bytes
    /// waiting to be written, whether it reads or writes, its buffering, and __fpurge to drop buffered
    /// input and output.
    /// </summary>
    internal static unsafe class StreamQueries
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fpending")]
        public static nuint Pending(StdioFile* file) => StdioFile.IsValid(file) ? (nuint)file->Pending : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fwriting")]
        public static int Writing(StdioFile* file) =>
            StdioFile.IsValid(file) && (file->Pending > 0 || (file->Flags & (StdioFile.CanRead | StdioFile.CanWrite)) == StdioFile.CanWrite) ? 1 : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__freading")]
        public static int Reading(StdioFile* file) =>
            StdioFile.IsValid(file) && (file->ReadLength > 0 || (file->Flags & (StdioFile.CanRead | StdioFile.CanWrite)) == StdioFile.CanRead) ? 1 : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__freadable")]
        public static int Readable(StdioFile* file) => StdioFile.IsValid(file) && (file->Flags & StdioFile.CanRead) != 0 ? 1 : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fwritable")]
        public static int Writable(StdioFile* file) => StdioFile.IsValid(file) && (file->Flags & StdioFile.CanWrite) != 0 ? 1 : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__flbf")]
        public static int LineBuffered(StdioFile* file) => StdioFile.IsValid(file) && (file->Flags & StdioFile.LineBuffered) != 0 ? 1 : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fbufsize")]
        public static nuint BufferSize(StdioFile* file) => StdioFile.IsValid(file) && (file->Flags & StdioFile.Unbuffered) == 0 ? (nuint)StdioFile.BufferSize : 0;

        /// <summary>__fpurge: forgets unwritten output and unread input (the descriptor's position stays where reading left it, as glibc's).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__fpurge")]
        public static void Purge(StdioFile* file)
        {
            if (!StdioFile.IsValid(file))
                return;
            file->Pending = 0;
            file->ReadPosition = file->ReadLength = 0;
        }
    }
}
