using System;
using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.FileSystems;
using Osv.Kernel.Libc.Threads;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// Unique files and directories from a template ending in XXXXXX (mkstemp, mkostemp, mkstemps,
    /// mkdtemp), tmpfile (a mkstemp file in /tmp, unlinked at once), and remove.
    /// </summary>
    internal static unsafe class TemporaryFiles
    {
        private const int ReadWrite = 2, Create = 0x40, Exclusive = 0x80, Attempts = 100;
        private const int Placeholders = 6;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mkstemp")]
        public static int MakeUnique(byte* template) => (int)MakeFile(template, 0, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mkstemp64")]
        public static int MakeUnique64(byte* template) => (int)MakeFile(template, 0, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mkostemp")]
        public static int MakeUniqueWithFlags(byte* template, int flags) => (int)MakeFile(template, 0, flags);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mkstemps")]
        public static int MakeUniqueWithSuffix(byte* template, int suffixLength) => (int)MakeFile(template, suffixLength, 0);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "mkdtemp")]
        public static byte* MakeUniqueDirectory(byte* template)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (!FindPlaceholders(template, 0, out byte* placeholders) || files == null)
                return null;
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                FillPlaceholders(placeholders);
                long result = files.MakeDirectory(Path(template), 448); // 0700
                if (result == 0)
                    return template;
                if (result != -LibcErrors.EEXIST)
                {
                    ErrnoLocation.Set((int)-result);
                    return null;
                }
            }
            ErrnoLocation.Set(LibcErrors.EEXIST);
            return null;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "tmpfile")]
        public static StdioFile* Temporary() => OpenTemporary();

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "tmpfile64")]
        public static StdioFile* Temporary64() => OpenTemporary();

        /// <summary>remove: unlink, or rmdir when the name is a directory.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "remove")]
        public static int Remove(byte* path)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (path == null || files == null)
            {
                ErrnoLocation.Set(path == null ? LibcErrors.EFAULT : LibcErrors.ENOENT);
                return -1;
            }
            long result = files.Unlink(Path(path));
            if (result == -LibcErrors.EISDIR)
                result = files.RemoveDirectory(Path(path));
            if (result < 0)
            {
                ErrnoLocation.Set((int)-result);
                return -1;
            }
            return 0;
        }

        private static StdioFile* OpenTemporary()
        {
            byte* name = stackalloc byte[32];
            ReadOnlySpan<byte> pattern = "/tmp/tmpfXXXXXX"u8;
            pattern.CopyTo(new Span<byte>(name, 32));
            name[pattern.Length] = 0;
            long descriptor = MakeFile(name, 0, 0);
            if (descriptor < 0)
                return null;
            ProcessFiles files = KernelFiles.Process!;
            files.Unlink(Path(name)); // the file lives while the stream has it open
            StdioFile* file = StdioFile.Create((int)descriptor, StdioFile.CanRead | StdioFile.CanWrite);
            if (file == null)
                files.Close((int)descriptor);
            return file;
        }

        private static ReadOnlySpan<byte> Path(byte* text) => new ReadOnlySpan<byte>(text, Strings.CStrings.Length(text));

        /// <summary>The descriptor of a new file made from <paramref name="template"/> (rewritten in place), or -1 with errno.</summary>
        private static long MakeFile(byte* template, int suffixLength, int extraFlags)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (!FindPlaceholders(template, suffixLength, out byte* placeholders))
                return -1;
            if (files == null)
            {
                ErrnoLocation.Set(LibcErrors.ENOENT);
                return -1;
            }
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                FillPlaceholders(placeholders);
                long descriptor = files.Open(Path(template), ReadWrite | Create | Exclusive | (extraFlags & ~3), 384); // 0600
                if (descriptor >= 0)
                    return descriptor;
                if (descriptor != -LibcErrors.EEXIST)
                {
                    ErrnoLocation.Set((int)-descriptor);
                    return -1;
                }
            }
            ErrnoLocation.Set(LibcErrors.EEXIST);
            return -1;
        }

        /// <summary>The six X's before the suffix; false (EINVAL) when the template does not end that way.</summary>
        private static bool FindPlaceholders(byte* template, int suffixLength, out byte* placeholders)
        {
            placeholders = null;
            long length = template == null ? 0 : Strings.CStrings.Length(template);
            if (suffixLength < 0 || length < Placeholders + suffixLength)
            {
                ErrnoLocation.Set(LibcErrors.EINVAL);
                return false;
            }
            byte* start = template + length - suffixLength - Placeholders;
            for (int i = 0; i < Placeholders; i++)
            {
                if (start[i] != (byte)'X')
                {
                    ErrnoLocation.Set(LibcErrors.EINVAL);
                    return false;
                }
            }
            placeholders = start;
            return true;
        }

        private static void FillPlaceholders(byte* placeholders)
        {
            ReadOnlySpan<byte> alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"u8;
            byte* random = stackalloc byte[Placeholders];
            KernelRandom.Fill(new Span<byte>(random, Placeholders));
            for (int i = 0; i < Placeholders; i++)
                placeholders[i] = alphabet[random[i] % alphabet.Length];
        }
    }
}
