using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.FileSystems;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// fseek/ftell/rewind (and the *o/64 names): the position is the descriptor's, plus what waits in
    /// the output buffer, minus what was read ahead. fseek writes pending output, forgets the read-ahead,
    /// seeks the descriptor and clears end of file.
    /// </summary>
    internal static unsafe class StdioPositions
    {
        private static long Tell(StdioFile* file)
        {
            if (!StdioFile.IsValid(file))
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return -1;
            }
            ProcessFiles? files = KernelFiles.Process;
            PthreadMutex.Lock(&file->Lock, 0);
            long position = files == null ? -LibcErrors.EBADF : files.Seek(file->Descriptor, 0, 1);
            if (position >= 0)
                position += file->Pending - (file->ReadLength - file->ReadPosition);
            PthreadMutex.Unlock(&file->Lock);
            if (position < 0)
            {
                ErrnoLocation.Set((int)-position);
                return -1;
            }
            return position;
        }

        private static int Seek(StdioFile* file, long offset, int whence)
        {
            if (!StdioFile.IsValid(file))
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return -1;
            }
            ProcessFiles? files = KernelFiles.Process;
            PthreadMutex.Lock(&file->Lock, 0);
            long result = 0;
            if (file->Pending > 0 && file->Flush() < 0)
                result = -1;
            else
            {
                if (whence == 1)
                    offset -= file->ReadLength - file->ReadPosition; // relative to what the program has read
                file->ReadPosition = file->ReadLength = 0;
                result = files == null ? -LibcErrors.EBADF : files.Seek(file->Descriptor, offset, whence);
                if (result < 0)
                {
                    ErrnoLocation.Set((int)-result);
                    result = -1;
                }
                else
                {
                    file->Flags &= ~StdioFile.EndOfFile;
                    result = 0;
                }
            }
            PthreadMutex.Unlock(&file->Lock);
            return (int)result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fseek")]
        public static int FileSeek(StdioFile* file, long offset, int whence) => Seek(file, offset, whence);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fseeko")]
        public static int FileSeekOffset(StdioFile* file, long offset, int whence) => Seek(file, offset, whence);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fseeko64")]
        public static int FileSeekOffset64(StdioFile* file, long offset, int whence) => Seek(file, offset, whence);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ftell")]
        public static long FileTell(StdioFile* file) => Tell(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ftello")]
        public static long FileTellOffset(StdioFile* file) => Tell(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ftello64")]
        public static long FileTellOffset64(StdioFile* file) => Tell(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "rewind")]
        public static void Rewind(StdioFile* file)
        {
            if (Seek(file, 0, 0) == 0)
                file->Flags &= ~StdioFile.Failed;
        }
    }
}
