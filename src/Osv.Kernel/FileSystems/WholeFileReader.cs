using System;
using System.Runtime.InteropServices;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.FileSystems
{
    /// <summary>Reads a whole file through the process's descriptor table (the program loader's source).</summary>
    [Osv.Annotations.KernelThreadOnly] // the application runner calls it from the boot thread
    internal static unsafe class WholeFileReader
    {
        private const int Chunk = 64 * 1024;

        /// <summary>0 with the file in memory the caller frees with NativeMemory.Free, or -errno.</summary>
        public static int Read(string path, byte** data, ulong* length)
        {
            *data = null;
            *length = 0;
            byte* name = stackalloc byte[path.Length];
            for (int i = 0; i < path.Length; i++)
                name[i] = (byte)path[i];
            return ReadPath(name, path.Length, data, length);
        }

        /// <summary>The same, for a path given as bytes (the dynamic linker's libraries).</summary>
        public static int ReadPath(byte* name, int nameLength, byte** data, ulong* length)
        {
            *data = null;
            *length = 0;
            ProcessFiles? files = FileSystemStartup.Files;
            if (files == null)
                return -2; // ENOENT: no file system at all
            long descriptor = files.Open(new ReadOnlySpan<byte>(name, nameLength), OpenFlags.ReadOnly, 0);
            if (descriptor < 0)
                return (int)descriptor;
            ulong capacity = Chunk;
            byte* buffer = (byte*)NativeMemory.Alloc((nuint)capacity);
            ulong used = 0;
            long result = buffer == null ? -12 : 0;
            while (result == 0)
            {
                if (capacity - used < Chunk)
                {
                    byte* grown = (byte*)NativeMemory.Realloc(buffer, (nuint)(capacity * 2));
                    if (grown == null)
                    {
                        result = -12; // ENOMEM
                        break;
                    }
                    buffer = grown;
                    capacity *= 2;
                }
                long read = files.Read((int)descriptor, new Span<byte>(buffer + used, Chunk));
                if (read < 0)
                    result = read;
                else if (read == 0)
                    break;
                else
                    used += (ulong)read;
            }
            files.Close((int)descriptor);
            if (result < 0)
            {
                NativeMemory.Free(buffer);
                return (int)result;
            }
            *data = buffer;
            *length = used;
            return 0;
        }
    }
}
