using Osv.Annotations;
using Osv.Arch.X64.Time;
using Osv.Core.Console;
using Osv.Core.Threads;
using Osv.Kernel.KernelTests;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.Benchmarks
{
    /// <summary>
    /// `--bench=storage`: read throughput of /bench.bin (bench/storage.py puts it on a rofs disk)
    /// through the file system calls: sequential 64 KiB reads over the whole file, then 4 KiB preads
    /// at random 4 KiB-aligned offsets. One line each: `storage: <kind> <bytes> bytes in <us> us`.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread; the reads run on an application-style thread
    internal static unsafe class StorageBenchmarks
    {
        public static void Run()
        {
            KernelThread? thread = Scheduler.Create(&Measure, null, 256 * 1024);
            if (thread != null)
                Scheduler.Join(thread);
        }

        private static void Measure(void* argument)
        {
            byte* buffer = (byte*)KernelMemory.AllocateZeroed(64 * 1024);
            long fd = VfsTests.Call(N.Open, (long)(byte*)Path(), 0);
            if (fd < 0 || buffer == null)
            {
                KernelConsole.WriteLine("storage: cannot open /bench.bin");
                return;
            }
            ulong start = TscClock.NanosecondsSinceBoot;
            long total = 0;
            while (true)
            {
                long got = VfsTests.Call(N.Read, fd, (long)buffer, 64 * 1024);
                if (got <= 0)
                    break;
                total += got;
            }
            Report("sequential", (ulong)total, TscClock.NanosecondsSinceBoot - start);

            long blocks = total / 4096;
            ulong state = 0x9E3779B97F4A7C15UL;
            const int Reads = 2000;
            start = TscClock.NanosecondsSinceBoot;
            long randomTotal = 0;
            for (int i = 0; i < Reads && blocks > 0; i++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                long got = VfsTests.Call(N.Pread64, fd, (long)buffer, 4096, (long)(state % (ulong)blocks) * 4096);
                if (got > 0)
                    randomTotal += got;
            }
            Report("random-4k", (ulong)randomTotal, TscClock.NanosecondsSinceBoot - start);
            VfsTests.Call(N.Close, fd);
            KernelMemory.Free(buffer);
        }

        private static byte* Path()
        {
            byte* path = (byte*)KernelMemory.AllocateZeroed(16);
            System.ReadOnlySpan<byte> text = "/bench.bin"u8;
            for (int i = 0; i < text.Length; i++)
                path[i] = text[i];
            return path;
        }

        private static void Report(string kind, ulong bytes, ulong nanoseconds)
        {
            KernelConsole.Write("storage: ");
            KernelConsole.Write(kind);
            KernelConsole.Write(" ");
            KernelConsole.WriteDecimal(bytes);
            KernelConsole.Write(" bytes in ");
            KernelConsole.WriteDecimal(nanoseconds / 1000);
            KernelConsole.WriteLine(" us");
        }
    }
}
