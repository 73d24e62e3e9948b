using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Threads;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// opendir/readdir/closedir over getdents64. glibc's x86-64 struct dirent (and dirent64) has the
    /// kernel's linux_dirent64 layout (d_ino, d_off, d_reclen, d_type, d_name), so readdir returns a
    /// pointer into the stream's buffer, as glibc does. DIR is the kernel's own (opaque to programs).
    /// </summary>
    internal static unsafe class PosixDirectories
    {
        private const int BufferSize = 4096;
        private const ulong MagicValue = 0x7269642d76736f; // "osv-dir"
        private const int OpenDirectoryFlags = 0x10000 | 0x80000; // O_DIRECTORY | O_CLOEXEC

        private struct Directory
        {
            public ulong Magic;
            public int Descriptor;
            public int Position;
            public long Length;
            public fixed byte Buffer[BufferSize];
        }

        private static Directory* Wrap(int descriptor)
        {
            Directory* directory = (Directory*)Malloc.Malloc.AllocateOrFail((nuint)sizeof(Directory));
            if (directory == null)
                return null;
            directory->Magic = MagicValue;
            directory->Descriptor = descriptor;
            directory->Position = 0;
            directory->Length = 0;
            return directory;
        }

        private static bool Valid(Directory* directory)
        {
            if (directory != null && directory->Magic == MagicValue)
                return true;
            ErrnoLocation.Set(LibcErrors.EBADF);
            return false;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "opendir")]
        public static void* OpenDirectory(byte* path)
        {
            long descriptor = PosixFiles.Result(LinuxSystemCalls.Invoke(N.Open, (long)path, OpenDirectoryFlags));
            if (descriptor < 0)
                return null;
            Directory* directory = Wrap((int)descriptor);
            if (directory == null)
                LinuxSystemCalls.Invoke(N.Close, descriptor);
            return directory;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fdopendir")]
        public static void* OpenDescriptorDirectory(int descriptor)
        {
            byte* stat = stackalloc byte[144];
            if (PosixFiles.Result(LinuxSystemCalls.Invoke(N.Fstat, descriptor, (long)stat)) < 0)
                return null;
            if ((*(uint*)(stat + 24) & 0xF000) != 0x4000)
            {
                ErrnoLocation.Set(20); // ENOTDIR
                return null;
            }
            return Wrap(descriptor);
        }

        private static void* Next(Directory* directory)
        {
            if (!Valid(directory))
                return null;
            if (directory->Position >= directory->Length)
            {
                long read = LinuxSystemCalls.Invoke(N.Getdents64, directory->Descriptor, (long)directory->Buffer, BufferSize);
                if (read <= 0)
                {
                    if (read < 0)
                        ErrnoLocation.Set((int)-read); // end of directory leaves errno alone
                    return null;
                }
                directory->Position = 0;
                directory->Length = read;
            }
            byte* entry = directory->Buffer + directory->Position;
            directory->Position += *(ushort*)(entry + 16);
            return entry;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "readdir")]
        public static void* ReadDirectory(void* directory) => Next((Directory*)directory);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "readdir64")]
        public static void* ReadDirectory64(void* directory) => Next((Directory*)directory);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "closedir")]
        public static int CloseDirectory(void* handle)
        {
            Directory* directory = (Directory*)handle;
            if (!Valid(directory))
                return -1;
            int descriptor = directory->Descriptor;
            directory->Magic = 0;
            Malloc.Malloc.Release(directory);
            return (int)PosixFiles.Result(LinuxSystemCalls.Invoke(N.Close, descriptor));
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "rewinddir")]
        public static void Rewind(void* handle)
        {
            Directory* directory = (Directory*)handle;
            if (!Valid(directory))
                return;
            LinuxSystemCalls.Invoke(N.Lseek, directory->Descriptor, 0, 0);
            directory->Position = 0;
            directory->Length = 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "dirfd")]
        public static int DescriptorOf(void* handle) => Valid((Directory*)handle) ? ((Directory*)handle)->Descriptor : -1;
    }
}
