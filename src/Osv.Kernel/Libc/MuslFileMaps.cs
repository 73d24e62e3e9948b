using System;
using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.FileSystems;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;

namespace Osv.Kernel.Libc
{
    /// <summary>
    /// The file mapping behind musl's time-zone and locale code (__tz.lo, locale_map.lo), which
    /// otherwise is leaf code: __map_file maps a zoneinfo or locale file read-only and __munmap drops
    /// that mapping. One address space and no page cache sharing to gain, so a "mapping" is a heap copy
    /// of the file: musl only reads it and hands it back to __munmap, which is why the two go together.
    /// </summary>
    internal static unsafe class MuslFileMaps
    {
        private const int ReadOnlyCloseOnExec = 0x80000;
        private const long LargestMappedFile = 16 << 20; // zoneinfo files are a few KiB; refuse nonsense

        [UnmanagedCallersOnly(EntryPoint = "__map_file")]
        [InternalEntryPoint("musl libc.a: __map_file in __tz.lo (TZ, /etc/localtime) and locale_map.lo")]
        private static byte* MapFile(byte* path, nuint* size) => ReadWholeFile(path, size);

        /// <summary>A malloc'd copy of the file at <paramref name="path"/> (NUL-terminated) and its size, or null.</summary>
        public static byte* ReadWholeFile(byte* path, nuint* size)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (files == null || path == null)
                return null;
            long descriptor = files.Open(new ReadOnlySpan<byte>(path, Strings.CStrings.Length(path)), ReadOnlyCloseOnExec, 0);
            if (descriptor < 0)
                return null;
            byte* copy = null;
            if (files.FileStat((int)descriptor, out LinuxStat stat) == 0 && stat.Size > 0 && stat.Size <= LargestMappedFile)
            {
                copy = (byte*)Malloc.Malloc.AllocateOrFail((nuint)stat.Size);
                long done = 0;
                while (copy != null && done < stat.Size)
                {
                    long read = files.Read((int)descriptor, new Span<byte>(copy + done, (int)(stat.Size - done)));
                    if (read <= 0)
                    {
                        Malloc.Malloc.Release(copy);
                        copy = null;
                        break;
                    }
                    done += read;
                }
                if (copy != null)
                    *size = (nuint)done;
            }
            files.Close((int)descriptor);
            return copy;
        }

        [UnmanagedCallersOnly(EntryPoint = "__munmap")]
        [InternalEntryPoint("musl libc.a: __munmap in __tz.lo and locale_map.lo, only on what __map_file returned")]
        private static int UnmapFile(void* address, nuint length)
        {
            Malloc.Malloc.Release(address);
            return 0;
        }
    }
}
