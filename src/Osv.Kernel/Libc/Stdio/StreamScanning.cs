using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// fscanf and friends: musl's scanner (vfscanf, renamed __osv_musl_vfscanf in the kernel's libc.a)
    /// reading a kernel stream through a one-byte musl FILE whose read function takes bytes from the
    /// <see cref="StdioFile"/>. musl looks one byte ahead and gives back what it did not use; that byte
    /// is still in the adapter's buffer when the scan ends, so it goes back into the stream (ungetc),
    /// where glibc's fscanf would have left it.
    /// </summary>
    internal static unsafe class StreamScanning
    {
        [DllImport("*"), SuppressGCTransition] private static extern int __osv_musl_vfscanf(MuslFile* file, byte* format, VaList* arguments);

        private const uint MuslEndOfFile = 16, MuslError = 32; // F_EOF, F_ERR (src/internal/stdio_impl.h)
        private const int UngetRoom = 8; // musl's UNGET: bytes before buf where the scanner puts back what it read

        /// <summary>musl 1.2.3's struct _IO_FILE (src/internal/stdio_impl.h), 232 bytes; only the fields the scanner touches are named.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 232)]
        private struct MuslFile
        {
            [FieldOffset(0)] public uint Flags;
            [FieldOffset(8)] public byte* ReadPosition;
            [FieldOffset(16)] public byte* ReadEnd;
            [FieldOffset(64)] public delegate* unmanaged<MuslFile*, byte*, nuint, nuint> Read;
            [FieldOffset(88)] public byte* Buffer;
            [FieldOffset(96)] public nuint BufferSize;
            [FieldOffset(140)] public int Lock;
            [FieldOffset(152)] public StdioFile* Cookie;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "vfscanf")]
        public static int ScanFile(StdioFile* file, byte* format, VaList* arguments) => Scan(file, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__isoc99_vfscanf")]
        public static int ScanFileC99(StdioFile* file, byte* format, VaList* arguments) => Scan(file, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "vscanf")]
        public static int ScanInput(byte* format, VaList* arguments) => Scan(StandardInput, format, arguments);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__isoc99_vscanf")]
        public static int ScanInputC99(byte* format, VaList* arguments) => Scan(StandardInput, format, arguments);

        private static StdioFile* StandardInput => (StdioFile*)*Process.LibcData.Slot(Process.LibcData.Stdin);

        private static int Scan(StdioFile* file, byte* format, VaList* arguments)
        {
            if (!StdioFile.IsValid(file))
            {
                ErrnoLocation.Set(LibcErrors.EBADF);
                return -1;
            }
            byte* storage = stackalloc byte[UngetRoom];
            MuslFile adapter = default;
            adapter.Buffer = storage + UngetRoom; // no buffer of its own: every byte comes from ReadOne
            adapter.BufferSize = 0;
            adapter.Read = &ReadOne;
            adapter.Lock = -1; // musl then never locks it; the stream's own lock is held instead
            adapter.Cookie = file;
            PthreadMutex.Lock(&file->Lock, 0);
            int result = __osv_musl_vfscanf(&adapter, format, arguments);
            for (byte* unread = adapter.ReadEnd - 1; adapter.ReadPosition != null && unread >= adapter.ReadPosition; unread--)
                file->PushBack(*unread);
            PthreadMutex.Unlock(&file->Lock);
            return result;
        }

        /// <summary>
        /// The adapter's read (musl's f->read): one byte from the stream into <paramref name="destination"/>,
        /// leaving the adapter's buffer empty at buf, so musl's __shgetc keeps the byte at buf[-1] for its
        /// unget and counts what it consumed from buf; or 0 with end of file or error noted as musl expects.
        /// </summary>
        [UnmanagedCallersOnly]
        private static nuint ReadOne(MuslFile* adapter, byte* destination, nuint length)
        {
            adapter->ReadPosition = adapter->ReadEnd = adapter->Buffer;
            if (length == 0)
                return 0;
            StdioFile* file = adapter->Cookie;
            int c = file->ReadByte();
            if (c < 0)
            {
                adapter->Flags |= (file->Flags & StdioFile.Failed) != 0 ? MuslError : MuslEndOfFile;
                return 0;
            }
            destination[0] = (byte)c;
            return 1;
        }
    }
}
