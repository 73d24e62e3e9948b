using System;
using Osv.Arch.X64;
using Osv.Arch.X64.Boot;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.FileSystems
{
    /// <summary>/proc/cpuinfo: one block per CPU, vendor and model name from CPUID.</summary>
    internal sealed unsafe class CpuInfoGenerator : IContentGenerator
    {
        private readonly int _cpus;

        public CpuInfoGenerator(int cpus) => _cpus = cpus < 1 ? 1 : cpus;

        public int Generate(Span<byte> destination)
        {
            byte* vendor = stackalloc byte[12];
            byte* brand = stackalloc byte[48];
            Cpu.Cpuid(0, 0, out _, out uint b, out uint c, out uint d);
            Put(vendor, 0, b);
            Put(vendor, 4, d);
            Put(vendor, 8, c);
            Cpu.Cpuid(0x80000000, 0, out uint highest, out _, out _, out _);
            int brandLength = 0;
            if (highest >= 0x80000004)
            {
                for (uint leaf = 0; leaf < 3; leaf++)
                {
                    Cpu.Cpuid(0x80000002 + leaf, 0, out uint ra, out uint rb, out uint rc, out uint rd);
                    Put(brand, (int)leaf * 16, ra);
                    Put(brand, (int)leaf * 16 + 4, rb);
                    Put(brand, (int)leaf * 16 + 8, rc);
                    Put(brand, (int)leaf * 16 + 12, rd);
                }
                while (brandLength < 48 && brand[brandLength] != 0)
                    brandLength++;
                while (brandLength > 0 && brand[brandLength - 1] == ' ')
                    brandLength--;
            }
            Cpu.Cpuid(1, 0, out uint signature, out _, out _, out _);
            var text = new TextSink(destination);
            for (int cpu = 0; cpu < _cpus; cpu++)
            {
                text.Append("processor\t: "u8);
                text.AppendDecimal((ulong)cpu);
                text.Append("\nvendor_id\t: "u8);
                text.Append(new ReadOnlySpan<byte>(vendor, 12));
                text.Append("\ncpu family\t: "u8);
                text.AppendDecimal(((signature >> 8) & 0xF) + ((signature >> 8 & 0xF) == 0xF ? (signature >> 20) & 0xFF : 0));
                text.Append("\nmodel\t\t: "u8);
                text.AppendDecimal(((signature >> 4) & 0xF) | ((signature >> 12) & 0xF0));
                text.Append("\nmodel name\t: "u8);
                text.Append(new ReadOnlySpan<byte>(brand, brandLength));
                text.Append("\nstepping\t: "u8);
                text.AppendDecimal(signature & 0xF);
                text.Append("\ncpu cores\t: "u8);
                text.AppendDecimal((ulong)_cpus);
                text.Append("\n\n"u8);
            }
            return text.Length;
        }

        private static void Put(byte* destination, int offset, uint value)
        {
            for (int i = 0; i < 4; i++)
                destination[offset + i] = (byte)(value >> (8 * i));
        }
    }

    /// <summary>/proc/meminfo from the physical page allocator (kB, like Linux).</summary>
    internal sealed class MemInfoGenerator : IContentGenerator
    {
        public int Generate(Span<byte> destination)
        {
            var text = new TextSink(destination);
            Line(ref text, "MemTotal:       "u8, KernelMemory.TotalBytes / 1024);
            Line(ref text, "MemFree:        "u8, KernelMemory.FreeBytes / 1024);
            Line(ref text, "MemAvailable:   "u8, KernelMemory.FreeBytes / 1024);
            return text.Length;
        }

        private static void Line(ref TextSink text, ReadOnlySpan<byte> label, ulong kilobytes)
        {
            text.Append(label);
            text.AppendDecimal(kilobytes);
            text.Append(" kB\n"u8);
        }
    }

    /// <summary>/proc/self/maps, minimal: the kernel image's text, read-only data and data (no applications are loaded yet).</summary>
    internal sealed class MapsGenerator : IContentGenerator
    {
        public int Generate(Span<byte> destination)
        {
            var text = new TextSink(destination);
            Line(ref text, BootImage.TextStart, BootImage.TextEnd, "r-xp"u8);
            Line(ref text, BootImage.ReadOnlyStart, BootImage.ReadOnlyEnd, "r--p"u8);
            Line(ref text, BootImage.DataStart, BootImage.DataEnd, "rw-p"u8);
            return text.Length;
        }

        private static void Line(ref TextSink text, ulong start, ulong end, ReadOnlySpan<byte> permissions)
        {
            Hex(ref text, start);
            text.Append((byte)'-');
            Hex(ref text, end);
            text.Append((byte)' ');
            text.Append(permissions);
            text.Append(" 00000000 00:00 0 /loader.elf\n"u8);
        }

        private static void Hex(ref TextSink text, ulong value)
        {
            bool started = false;
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                int digit = (int)((value >> shift) & 0xF);
                if (digit == 0 && !started && shift > 28)
                    continue; // at least 8 digits, as Linux prints them
                started = true;
                text.Append((byte)(digit < 10 ? '0' + digit : 'a' + digit - 10));
            }
        }
    }

    /// <summary>/proc/self/exe: a symlink to the program, or to the kernel image while no application runs.</summary>
    internal sealed unsafe class ExecutableGenerator : IContentGenerator
    {
        private readonly byte* _path;
        private readonly int _length;

        public ExecutableGenerator(string? program)
        {
            string path = program ?? "/loader.elf";
            _length = path.Length;
            _path = (byte*)KernelMemory.AllocateZeroed((nuint)_length + 1);
            for (int i = 0; _path != null && i < _length; i++)
                _path[i] = (byte)path[i];
            if (_path == null)
                _length = 0;
        }

        public int Generate(Span<byte> destination)
        {
            var text = new TextSink(destination);
            text.Append(new ReadOnlySpan<byte>(_path, _length));
            return text.Length;
        }
    }
}
