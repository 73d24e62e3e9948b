using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// getline and getdelim (and glibc's __getdelim): a whole line, however long, into a buffer the
    /// caller owns and the function grows with realloc; the length read, or -1 at end of file or error.
    /// </summary>
    internal static unsafe class LineReading
    {
        private const nuint InitialSize = 120; // glibc's first allocation

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getline")]
        public static nint GetLine(byte** line, nuint* size, StdioFile* file) => Read(line, size, '\n', file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getdelim")]
        public static nint GetDelimited(byte** line, nuint* size, int delimiter, StdioFile* file) => Read(line, size, delimiter, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__getdelim")]
        public static nint GetDelimitedInternal(byte** line, nuint* size, int delimiter, StdioFile* file) => Read(line, size, delimiter, file);

        private static nint Read(byte** line, nuint* size, int delimiter, StdioFile* file)
        {
            if (line == null || size == null)
            {
                ErrnoLocation.Set(LibcErrors.EINVAL);
                return -1;
            }
            if (!StdioFile.IsValid(file))
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return -1;
            }
            if (*line == null)
                *size = 0;
            nuint used = 0;
            nint result = 0;
            PthreadMutex.Lock(&file->Lock, 0);
            while (true)
            {
                int c = file->ReadByte();
                if (c < 0)
                {
                    if (used == 0)
                        result = -1;
                    break;
                }
                if (used + 2 > *size && !Grow(line, size, used + 2))
                {
                    file->PushBack(c);
                    result = -1;
                    break;
                }
                (*line)[used++] = (byte)c;
                if (c == (byte)delimiter)
                    break;
            }
            PthreadMutex.Unlock(&file->Lock);
            if (result < 0)
                return -1;
            (*line)[used] = 0;
            return (nint)used;
        }

        private static bool Grow(byte** line, nuint* size, nuint needed)
        {
            nuint capacity = *size < InitialSize ? InitialSize : *size * 2;
            while (capacity < needed)
                capacity *= 2;
            byte* grown = (byte*)Malloc.Malloc.ReallocateOrFail(*line, capacity);
            if (grown == null)
                return false; // errno ENOMEM from realloc; the old buffer is still the caller's
            *line = grown;
            *size = capacity;
            return true;
        }
    }
}
