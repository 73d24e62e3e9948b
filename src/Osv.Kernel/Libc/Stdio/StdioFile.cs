using System;
using Osv.Kernel.FileSystems;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// A C library stream (FILE) on the kernel heap: a descriptor of the process's file table, one
    /// buffer used for output or for input, a recursive mutex (flockfile), and a link in the list of
    /// open streams that exit flushes. Buffering: line for a stream on a character device (the
    /// console), none for stderr, full otherwise.
    /// The first 56 bytes follow glibc's struct _IO_FILE, because glibc's headers inline a few stream
    /// functions into programs: feof_unlocked/ferror_unlocked test bits 0x10/0x20 of the int at offset
    /// 0, and getc_unlocked/putc_unlocked compare the read and write pointers at offsets 8-48, calling
    /// __uflow/__overflow when no bytes are buffered there. Those pointers stay null, so every inlined
    /// getc/putc comes to the kernel; the rest of the struct is the kernel's own.
    /// </summary>
    internal unsafe struct StdioFile
    {
        public const ulong MagicValue = 0x656c69662d76736f; // "osv-file"
        public const int CanRead = 1, CanWrite = 2, EndOfFile = 0x10, Failed = 0x20, LineBuffered = 0x40, Unbuffered = 0x80, Standard = 0x100;
        public const int BufferSize = 4096;

        /// <summary>glibc's _flags: EndOfFile and Failed are its _IO_EOF_SEEN and _IO_ERR_SEEN.</summary>
        public int Flags;
        /// <summary>Offsets 4-55, zero for good: glibc's padding and its read/write buffer pointers (_IO_read_ptr ... _IO_write_end).</summary>
        public fixed byte GlibcBufferPointers[52];
        public ulong Magic;
        public int Descriptor;
        public byte* Buffer;
        /// <summary>Output bytes waiting in the buffer.</summary>
        public int Pending;
        /// <summary>Input: the next unread byte and the end of the bytes read ahead.</summary>
        public int ReadPosition, ReadLength;
        public StdioFile* Next;
        public StdioFile* Previous;
        public PthreadMutex.Mutex Lock;

        private static StdioFile* s_open;
        private static int s_listLock;

        public static bool IsValid(StdioFile* file) => file != null && KernelMemory.IsAllocatedPage(file) && file->Magic == MagicValue;

        /// <summary>A stream over <paramref name="descriptor"/>, linked into the open list; null when memory runs out (ENOMEM).</summary>
        public static StdioFile* Create(int descriptor, int flags)
        {
            StdioFile* file = (StdioFile*)KernelMemory.AllocateZeroed((nuint)sizeof(StdioFile));
            if (file == null)
            {
                ErrnoLocation.Set(LibcErrors.ENOMEM);
                return null;
            }
            file->Magic = MagicValue;
            file->Descriptor = descriptor;
            file->Lock.Kind = PthreadMutex.Recursive; // flockfile, then getc from the same thread
            if ((flags & (LineBuffered | Unbuffered)) == 0 && IsCharacterDevice(descriptor))
                flags |= LineBuffered;
            file->Flags = flags;
            LockList();
            file->Next = s_open;
            if (s_open != null)
                s_open->Previous = file;
            s_open = file;
            UnlockList();
            return file;
        }

        private static bool IsCharacterDevice(int descriptor)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (files == null || files.FileStat(descriptor, out LinuxStat stat) < 0)
                return false;
            return (stat.Mode & 0xF000) == 0x2000;
        }

        /// <summary>Unlinks and frees a stream (its descriptor is the caller's business).</summary>
        public static void Destroy(StdioFile* file)
        {
            LockList();
            if (file->Previous != null)
                file->Previous->Next = file->Next;
            else
                s_open = file->Next;
            if (file->Next != null)
                file->Next->Previous = file->Previous;
            UnlockList();
            file->Magic = 0;
            if (file->Buffer != null)
                KernelMemory.Free(file->Buffer);
            KernelMemory.Free(file);
        }

        /// <summary>Flushes every open stream (exit, fflush(NULL)).</summary>
        public static int FlushAll()
        {
            int result = 0;
            LockList();
            for (StdioFile* file = s_open; file != null; file = file->Next)
            {
                if (file->Pending > 0)
                {
                    PthreadMutex.Lock(&file->Lock, 0);
                    if (file->Flush() < 0)
                        result = -1;
                    PthreadMutex.Unlock(&file->Lock);
                }
            }
            UnlockList();
            return result;
        }

        /// <summary>Frees every stream without flushing (a new program starts with fresh standard streams).</summary>
        public static void DestroyAll()
        {
            while (s_open != null)
                Destroy(s_open);
        }

        private static void LockList()
        {
            while (System.Threading.Interlocked.CompareExchange(ref s_listLock, 1, 0) != 0)
                Osv.Core.Threads.Scheduler.Yield();
        }

        private static void UnlockList() => System.Threading.Volatile.Write(ref s_listLock, 0);

        private bool EnsureBuffer()
        {
            if (Buffer != null)
                return true;
            Buffer = (byte*)KernelMemory.Allocate(BufferSize);
            return Buffer != null;
        }

        /// <summary>Writes the pending bytes to the descriptor. 0, or -1 with the error flag and errno set.</summary>
        public int Flush()
        {
            int done = 0;
            while (done < Pending)
            {
                long written = WriteDescriptor(Descriptor, Buffer + done, Pending - done);
                if (written <= 0)
                {
                    Flags |= Failed;
                    // keep what was not written, at the start
                    int left = Pending - done;
                    for (int i = 0; i < left; i++)
                        Buffer[i] = Buffer[done + i];
                    Pending = left;
                    return -1;
                }
                done += (int)written;
            }
            Pending = 0;
            return 0;
        }

        /// <summary>write(2) through the kernel's file table: bytes written, or -1 with errno.</summary>
        public static long WriteDescriptor(int descriptor, byte* data, long length)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (files == null)
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return -1;
            }
            long result = files.Write(descriptor, new ReadOnlySpan<byte>(data, (int)length));
            if (result < 0)
            {
                ErrnoLocation.Set((int)-result);
                return -1;
            }
            return result;
        }

        /// <summary>Appends output (the caller holds the lock): 0, or -1 when the descriptor failed.</summary>
        public int WriteBytes(byte* data, long length)
        {
            if ((Flags & CanWrite) == 0)
            {
                Flags |= Failed;
                ErrnoLocation.Set(LibcErrors.EBADF);
                return -1;
            }
            if (ReadLength != 0)
                DropReadAhead();
            if ((Flags & Unbuffered) != 0 || !EnsureBuffer())
            {
                if (Pending > 0 && Flush() < 0)
                    return -1;
                return WriteAll(data, length);
            }
            if (length >= BufferSize)
            {
                if (Flush() < 0)
                    return -1;
                return WriteAll(data, length);
            }
            if (Pending + length > BufferSize && Flush() < 0)
                return -1;
            bool newline = false;
            for (long i = 0; i < length; i++)
            {
                byte b = data[i];
                Buffer[Pending++] = b;
                newline |= b == (byte)'\n';
            }
            if (newline && (Flags & LineBuffered) != 0)
                return Flush();
            return 0;
        }

        private int WriteAll(byte* data, long length)
        {
            long done = 0;
            while (done < length)
            {
                long written = WriteDescriptor(Descriptor, data + done, length - done);
                if (written <= 0)
                {
                    Flags |= Failed;
                    return -1;
                }
                done += written;
            }
            return 0;
        }

        /// <summary>Input read ahead but not consumed goes back to the file (seekable files), so a write lands where the program expects.</summary>
        private void DropReadAhead()
        {
            int unread = ReadLength - ReadPosition;
            ReadPosition = ReadLength = 0;
            if (unread > 0)
                KernelFiles.Process?.Seek(Descriptor, -unread, 1);
        }

        /// <summary>The next input byte, or -1 at end of file or error (flags set). The caller holds the lock.</summary>
        public int ReadByte()
        {
            if (ReadPosition < ReadLength)
                return Buffer[ReadPosition++];
            if (!Fill())
                return -1;
            return Buffer[ReadPosition++];
        }

        /// <summary>
        /// ungetc's body (the caller holds the lock): <paramref name="character"/> becomes the next byte
        /// read. It goes in front of the unread input, shifting that right when the stream has consumed
        /// nothing yet; -1 when a whole buffer of input already waits (glibc guarantees one byte only).
        /// </summary>
        public int PushBack(int character)
        {
            if ((Flags & CanRead) == 0)
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return -1;
            }
            if (Pending > 0 && Flush() < 0)
                return -1;
            if (!EnsureBuffer())
                return -1;
            if (ReadPosition > 0)
                ReadPosition--;
            else
            {
                if (ReadLength == BufferSize)
                    return -1;
                for (int i = ReadLength; i > 0; i--)
                    Buffer[i] = Buffer[i - 1];
                ReadLength++;
            }
            Buffer[ReadPosition] = (byte)character;
            Flags &= ~EndOfFile;
            return (byte)character;
        }

        /// <summary>Reads ahead into the buffer; false at end of file or error.</summary>
        public bool Fill()
        {
            if ((Flags & CanRead) == 0)
            {
                Flags |= Failed;
                ErrnoLocation.Set(LibcErrors.EBADF);
                return false;
            }
            if (Pending > 0 && Flush() < 0)
                return false;
            if ((Flags & LineBuffered) != 0)
                FlushLineBufferedOutputs();
            if (!EnsureBuffer())
                return false;
            ProcessFiles? files = KernelFiles.Process;
            long read = files == null ? -LibcErrors.EBADF : files.Read(Descriptor, new Span<byte>(Buffer, BufferSize));
            ReadPosition = ReadLength = 0;
            if (read < 0)
            {
                Flags |= Failed;
                ErrnoLocation.Set((int)-read);
                return false;
            }
            if (read == 0)
            {
                Flags |= EndOfFile;
                return false;
            }
            ReadLength = (int)read;
            return true;
        }

        /// <summary>Reading a line-buffered stream (the terminal) first flushes the other line-buffered ones, as glibc does with stdout before reading stdin.</summary>
        private static void FlushLineBufferedOutputs()
        {
            StdioFile* output = (StdioFile*)*Process.LibcData.Slot(Process.LibcData.Stdout);
            if (IsValid(output) && output->Pending > 0)
                output->Flush();
        }
    }
}
