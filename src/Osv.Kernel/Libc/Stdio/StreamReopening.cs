using System;
using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.FileSystems;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// freopen: the same FILE (so a reopened stdin/stdout stays the object programs point at) on a new
    /// file, keeping the descriptor number as glibc does, so that fd 0/1/2 follow the stream.
    /// </summary>
    internal static unsafe class StreamReopening
    {
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "freopen")]
        public static StdioFile* Reopen(byte* path, byte* mode, StdioFile* file) => ReopenStream(path, mode, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "freopen64")]
        public static StdioFile* Reopen64(byte* path, byte* mode, StdioFile* file) => ReopenStream(path, mode, file);

        private static StdioFile* ReopenStream(byte* path, byte* mode, StdioFile* file)
        {
            if (!StdioFile.IsValid(file))
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return null;
            }
            ProcessFiles? files = KernelFiles.Process;
            if (files == null)
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return null;
            }
            PthreadMutex.Lock(&file->Lock, 0);
            file->Flush();
            file->ReadPosition = file->ReadLength = 0;
            int keep = file->Flags & (StdioFile.Standard | StdioFile.Unbuffered | StdioFile.LineBuffered);
            StdioFile* result = file;
            if (path == null)
            {
                // Same file, new access mode: only the stream's permissions change (glibc may refuse more).
                if (!Stdio.ParseMode(mode, out _, out int streamFlags))
                {
                    ErrnoLocation.Set(LibcErrors.EINVAL);
                    result = null;
                }
                else
                    file->Flags = keep | streamFlags;
            }
            else
            {
                long descriptor = Stdio.OpenDescriptor(path, mode, out int streamFlags);
                if (descriptor < 0)
                    result = null;
                else
                {
                    if (descriptor != file->Descriptor)
                    {
                        long moved = files.Duplicate2((int)descriptor, file->Descriptor);
                        files.Close((int)descriptor);
                        if (moved < 0)
                        {
                            ErrnoLocation.Set((int)-moved);
                            result = null;
                        }
                    }
                    file->Flags = keep | streamFlags;
                }
            }
            PthreadMutex.Unlock(&file->Lock);
            if (result == null)
                CloseFailed(file);
            return result;
        }

        /// <summary>A failed freopen leaves no usable stream (C11 7.21.5.4): close it as fclose would.</summary>
        private static void CloseFailed(StdioFile* file)
        {
            KernelFiles.Process?.Close(file->Descriptor);
            if ((file->Flags & StdioFile.Standard) == 0)
                StdioFile.Destroy(file);
            else
                file->Flags = StdioFile.Standard | StdioFile.Failed;
        }
    }
}
