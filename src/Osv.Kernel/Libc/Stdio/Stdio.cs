using System;
using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.FileSystems;
using Osv.Kernel.Libc.Process;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// stdio over <see cref="StdioFile"/>. Formatting is musl's vsnprintf into a buffer (on the stack,
    /// or the heap for long output), then the bytes go through the stream. The variadic entry points
    /// (printf, fprintf, dprintf, __printf_chk, __fprintf_chk, __dprintf_chk) are assembly stubs
    /// (Boot/libc_glue.asm) that build a va_list and call the v* functions here. The fortified *_chk
    /// variants format exactly as the plain ones (glibc additionally refuses %n in writable formats).
    /// </summary>
    internal static unsafe class Stdio
    {
        private const int StackBufferSize = 512;
        private const int EOF = -1;

        [DllImport("*"), SuppressGCTransition] private static extern int vsnprintf(byte* buffer, nuint size, byte* format, VaList* arguments);

        /// <summary>Creates the standard streams over descriptors 0-2 and stores them in the kernel's stdin/stdout/stderr (before a program is linked, so COPY relocations copy them).</summary>
        public static void CreateStandardStreams()
        {
            StdioFile.DestroyAll();
            *LibcData.Slot(LibcData.Stdin) = (ulong)StdioFile.Create(0, StdioFile.CanRead | StdioFile.Standard);
            *LibcData.Slot(LibcData.Stdout) = (ulong)StdioFile.Create(1, StdioFile.CanWrite | StdioFile.Standard);
            *LibcData.Slot(LibcData.Stderr) = (ulong)StdioFile.Create(2, StdioFile.CanWrite | StdioFile.Unbuffered | StdioFile.Standard);
        }

        private static StdioFile* StandardOutput => (StdioFile*)*LibcData.Slot(LibcData.Stdout);
        private static StdioFile* StandardInput => (StdioFile*)*LibcData.Slot(LibcData.Stdin);

        private static bool Check(StdioFile* file)
        {
            if (StdioFile.IsValid(file))
                return true;
            ErrnoLocation.Set(LibcErrors.EBADF);
            return false;
        }

        /// <summary>Formats into <paramref name="stackBuffer"/> or, when longer, a heap buffer (*heap, the caller frees). Length, or -1.</summary>
        private static int Format(byte* format, VaList* arguments, byte* stackBuffer, byte** text, byte** heap)
        {
            *heap = null;
            *text = stackBuffer;
            VaList copy = *arguments;
            int length = vsnprintf(stackBuffer, StackBufferSize, format, &copy);
            if (length < StackBufferSize)
                return length;
            byte* large = (byte*)KernelMemory.Allocate((nuint)length + 1);
            if (large == null)
            {
                ErrnoLocation.Set(LibcErrors.ENOMEM);
                return -1;
            }
            copy = *arguments;
            length = vsnprintf(large, (nuint)length + 1, format, &copy);
            *heap = large;
            *text = large;
            return length;
        }

        private static int PrintTo(StdioFile* file, byte* format, VaList* arguments)
        {
            if (!Check(file))
                return -1;
            byte* stackBuffer = stackalloc byte[StackBufferSize];
            byte* text;
            byte* heap;
            int length = Format(format, arguments, stackBuffer, &text, &heap);
            if (length < 0)
                return -1;
            PthreadMutex.Lock(&file->Lock, 0);
            int result = file->WriteBytes(text, length);
            PthreadMutex.Unlock(&file->Lock);
            if (heap != null)
                KernelMemory.Free(heap);
            return result < 0 ? -1 : length;
        }

        private static int PrintToDescriptor(int descriptor, byte* format, VaList* arguments)
        {
            byte* stackBuffer = stackalloc byte[StackBufferSize];
            byte* text;
            byte* heap;
            int length = Format(format, arguments, stackBuffer, &text, &heap);
            if (length < 0)
                return -1;
            long done = 0;
            while (done < length)
            {
                long written = StdioFile.WriteDescriptor(descriptor, text + done, length - done);
                if (written <= 0)
                {
                    length = -1;
                    break;
                }
                done += written;
            }
            if (heap != null)
                KernelMemory.Free(heap);
            return length;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "vprintf")]
        public static int VPrint(byte* format, VaList* arguments) => PrintTo(StandardOutput, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "vfprintf")]
        public static int VFilePrint(StdioFile* file, byte* format, VaList* arguments) => PrintTo(file, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "vdprintf")]
        public static int VDescriptorPrint(int descriptor, byte* format, VaList* arguments) => PrintToDescriptor(descriptor, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__vprintf_chk")]
        public static int VPrintChecked(int flag, byte* format, VaList* arguments) => PrintTo(StandardOutput, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__vfprintf_chk")]
        public static int VFilePrintChecked(StdioFile* file, int flag, byte* format, VaList* arguments) => PrintTo(file, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__vdprintf_chk")]
        public static int VDescriptorPrintChecked(int descriptor, int flag, byte* format, VaList* arguments) => PrintToDescriptor(descriptor, format, arguments);

        private static int Write(StdioFile* file, byte* data, long length)
        {
            if (!Check(file))
                return -1;
            PthreadMutex.Lock(&file->Lock, 0);
            int result = file->WriteBytes(data, length);
            PthreadMutex.Unlock(&file->Lock);
            return result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "puts")]
        public static int Puts(byte* text)
        {
            StdioFile* file = StandardOutput;
            if (!Check(file))
                return EOF;
            byte newline = (byte)'\n';
            PthreadMutex.Lock(&file->Lock, 0);
            int result = file->WriteBytes(text, Strings.CStrings.Length(text));
            if (result == 0)
                result = file->WriteBytes(&newline, 1);
            PthreadMutex.Unlock(&file->Lock);
            return result < 0 ? EOF : 1;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fputs")]
        public static int FilePuts(byte* text, StdioFile* file) => Write(file, text, Strings.CStrings.Length(text)) < 0 ? EOF : 1;

        /// <summary>fputc's body (and the *_unlocked forms').</summary>
        public static int PutCharacter(int character, StdioFile* file)
        {
            byte b = (byte)character;
            return Write(file, &b, 1) < 0 ? EOF : b;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fputc")]
        public static int FilePutCharacter(int character, StdioFile* file) => PutCharacter(character, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "putc")]
        public static int PutC(int character, StdioFile* file) => PutCharacter(character, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "putchar")]
        public static int PutChar(int character) => PutCharacter(character, StandardOutput);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fwrite")]
        public static nuint FileWrite(byte* data, nuint size, nuint count, StdioFile* file) => WriteItems(data, size, count, file);

        private static nuint WriteItems(byte* data, nuint size, nuint count, StdioFile* file) =>
            size == 0 || count == 0 ? 0 : Write(file, data, (long)(size * count)) < 0 ? 0 : count;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fflush")]
        public static int FileFlush(StdioFile* file) => Flush(file);

        /// <summary>fflush's body: one stream, or every stream for null.</summary>
        private static int Flush(StdioFile* file)
        {
            if (file == null)
                return StdioFile.FlushAll() < 0 ? EOF : 0;
            if (!Check(file))
                return EOF;
            PthreadMutex.Lock(&file->Lock, 0);
            int result = file->Flush();
            PthreadMutex.Unlock(&file->Lock);
            return result < 0 ? EOF : 0;
        }

        /// <summary>fopen's mode string to open(2) flags and stream flags; false for a mode it does not know (EINVAL).</summary>
        public static bool ParseMode(byte* mode, out int openFlags, out int streamFlags)
        {
            const int ReadWrite = 2, WriteOnly = 1, Create = 0x40, Truncate = 0x200, Append = 0x400, CloseOnExec = 0x80000, Exclusive = 0x80;
            openFlags = 0;
            streamFlags = 0;
            bool plus = false;
            for (byte* c = mode + 1; *c != 0; c++)
            {
                if (*c == (byte)'+')
                    plus = true;
                else if (*c == (byte)'e')
                    openFlags |= CloseOnExec;
                else if (*c == (byte)'x')
                    openFlags |= Exclusive;
            }
            switch (*mode)
            {
                case (byte)'r':
                    openFlags |= plus ? ReadWrite : 0;
                    streamFlags = StdioFile.CanRead | (plus ? StdioFile.CanWrite : 0);
                    return true;
                case (byte)'w':
                    openFlags |= (plus ? ReadWrite : WriteOnly) | Create | Truncate;
                    streamFlags = StdioFile.CanWrite | (plus ? StdioFile.CanRead : 0);
                    return true;
                case (byte)'a':
                    openFlags |= (plus ? ReadWrite : WriteOnly) | Create | Append;
                    streamFlags = StdioFile.CanWrite | (plus ? StdioFile.CanRead : 0);
                    return true;
                default:
                    return false;
            }
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fopen")]
        public static StdioFile* Open(byte* path, byte* mode) => OpenPath(path, mode);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fopen64")]
        public static StdioFile* Open64(byte* path, byte* mode) => OpenPath(path, mode);

        /// <summary>fopen's body: a new stream on <paramref name="path"/>, or null with errno.</summary>
        public static StdioFile* OpenPath(byte* path, byte* mode)
        {
            long descriptor = OpenDescriptor(path, mode, out int streamFlags);
            if (descriptor < 0)
                return null;
            StdioFile* file = StdioFile.Create((int)descriptor, streamFlags);
            if (file == null)
                KernelFiles.Process!.Close((int)descriptor);
            return file;
        }

        /// <summary>open(2) as fopen's <paramref name="mode"/> asks: the descriptor, or -1 with errno.</summary>
        public static long OpenDescriptor(byte* path, byte* mode, out int streamFlags)
        {
            if (path == null || mode == null || !ParseMode(mode, out int openFlags, out streamFlags))
            {
                streamFlags = 0;
                ErrnoLocation.Set(LibcErrors.EINVAL);
                return -1;
            }
            ProcessFiles? files = KernelFiles.Process;
            long descriptor = files == null ? -LibcErrors.EBADF : files.Open(new ReadOnlySpan<byte>(path, Strings.CStrings.Length(path)), openFlags, 438);
            if (descriptor < 0)
            {
                ErrnoLocation.Set((int)-descriptor);
                return -1;
            }
            return descriptor;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fdopen")]
        public static StdioFile* DescriptorOpen(int descriptor, byte* mode)
        {
            if (mode == null || !ParseMode(mode, out _, out int streamFlags))
            {
                ErrnoLocation.Set(LibcErrors.EINVAL);
                return null;
            }
            return StdioFile.Create(descriptor, streamFlags);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fclose")]
        public static int Close(StdioFile* file)
        {
            if (!Check(file))
                return EOF;
            PthreadMutex.Lock(&file->Lock, 0);
            int result = file->Flush();
            PthreadMutex.Unlock(&file->Lock);
            long closed = KernelFiles.Process == null ? 0 : KernelFiles.Process.Close(file->Descriptor);
            StdioFile.Destroy(file);
            if (closed < 0)
            {
                ErrnoLocation.Set((int)-closed);
                result = -1;
            }
            return result < 0 ? EOF : 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fread")]
        public static nuint FileRead(byte* data, nuint size, nuint count, StdioFile* file) => ReadItems(data, size, count, file);

        /// <summary>fread's body (also __fread_chk's).</summary>
        public static nuint ReadItems(byte* data, nuint size, nuint count, StdioFile* file)
        {
            if (size == 0 || count == 0 || !Check(file))
                return 0;
            nuint total = size * count;
            nuint done = 0;
            PthreadMutex.Lock(&file->Lock, 0);
            while (done < total)
            {
                if (file->ReadPosition >= file->ReadLength && !file->Fill())
                    break;
                while (done < total && file->ReadPosition < file->ReadLength)
                    data[done++] = file->Buffer[file->ReadPosition++];
            }
            PthreadMutex.Unlock(&file->Lock);
            return done / size;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fgets")]
        public static byte* GetString(byte* destination, int size, StdioFile* file) => ReadLine(destination, size, file);

        /// <summary>fgets's body (also __fgets_chk's).</summary>
        public static byte* ReadLine(byte* destination, int size, StdioFile* file)
        {
            if (size <= 0 || !Check(file))
                return null;
            int done = 0;
            PthreadMutex.Lock(&file->Lock, 0);
            while (done < size - 1)
            {
                int c = file->ReadByte();
                if (c < 0)
                    break;
                destination[done++] = (byte)c;
                if (c == '\n')
                    break;
            }
            PthreadMutex.Unlock(&file->Lock);
            if (done == 0)
                return null;
            destination[done] = 0;
            return destination;
        }

        /// <summary>fgetc's body (and __uflow's, the *_unlocked forms').</summary>
        public static int GetCharacter(StdioFile* file)
        {
            if (!Check(file))
                return EOF;
            PthreadMutex.Lock(&file->Lock, 0);
            int c = file->ReadByte();
            PthreadMutex.Unlock(&file->Lock);
            return c;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fgetc")]
        public static int FileGetCharacter(StdioFile* file) => GetCharacter(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getc")]
        public static int GetC(StdioFile* file) => GetCharacter(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getchar")]
        public static int GetChar() => GetCharacter(StandardInput);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "feof")]
        public static int EndOfFile(StdioFile* file) => IsAtEnd(file);

        /// <summary>feof's body (also feof_unlocked's).</summary>
        public static int IsAtEnd(StdioFile* file) => Check(file) && (file->Flags & StdioFile.EndOfFile) != 0 ? 1 : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ferror")]
        public static int Error(StdioFile* file) => HasFailed(file);

        /// <summary>ferror's body (also ferror_unlocked's).</summary>
        public static int HasFailed(StdioFile* file) => Check(file) && (file->Flags & StdioFile.Failed) != 0 ? 1 : 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "clearerr")]
        public static void ClearError(StdioFile* file) => ClearFlags(file);

        /// <summary>clearerr's body (also clearerr_unlocked's).</summary>
        public static void ClearFlags(StdioFile* file)
        {
            if (Check(file))
                file->Flags &= ~(StdioFile.Failed | StdioFile.EndOfFile);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fileno")]
        public static int DescriptorOf(StdioFile* file) => Descriptor(file);

        /// <summary>fileno's body (also fileno_unlocked's).</summary>
        public static int Descriptor(StdioFile* file) => Check(file) ? file->Descriptor : -1;

        // The *_unlocked names: the stream lock is recursive, so taking it anyway is right inside flockfile.

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fwrite_unlocked")]
        public static nuint FileWriteUnlocked(byte* data, nuint size, nuint count, StdioFile* file) => WriteItems(data, size, count, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fread_unlocked")]
        public static nuint FileReadUnlocked(byte* data, nuint size, nuint count, StdioFile* file) => ReadItems(data, size, count, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fputs_unlocked")]
        public static int FilePutsUnlocked(byte* text, StdioFile* file) => Write(file, text, Strings.CStrings.Length(text)) < 0 ? EOF : 1;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fgets_unlocked")]
        public static byte* GetStringUnlocked(byte* destination, int size, StdioFile* file) => ReadLine(destination, size, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fflush_unlocked")]
        public static int FileFlushUnlocked(StdioFile* file) => Flush(file);

        /// <summary>setvbuf: the mode only (the stream keeps its own buffer): _IOFBF 0, _IOLBF 1, _IONBF 2.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setvbuf")]
        public static int SetBuffering(StdioFile* file, byte* buffer, int mode, nuint size) => SetMode(file, mode);

        private static int SetMode(StdioFile* file, int mode)
        {
            if (!Check(file) || mode < 0 || mode > 2)
                return -1;
            file->Flags &= ~(StdioFile.LineBuffered | StdioFile.Unbuffered);
            file->Flags |= mode == 1 ? StdioFile.LineBuffered : mode == 2 ? StdioFile.Unbuffered : 0;
            return 0;
        }

        private const int FullyBuffered = 0, LineBuffered = 1, NotBuffered = 2;

        /// <summary>setbuf: a buffer means full buffering, null means none (the stream keeps its own buffer either way).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setbuf")]
        public static void SetBuffer(StdioFile* file, byte* buffer) => SetMode(file, buffer != null ? FullyBuffered : NotBuffered);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setbuffer")]
        public static void SetBufferSized(StdioFile* file, byte* buffer, nuint size) => SetMode(file, buffer != null ? FullyBuffered : NotBuffered);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setlinebuf")]
        public static void SetLineBuffered(StdioFile* file) => SetMode(file, LineBuffered);
    }
}
