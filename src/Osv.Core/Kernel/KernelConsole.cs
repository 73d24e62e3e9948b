using System;
using Osv.Arch.X64;
using Osv.Core.Diagnostics;

namespace Osv.Core.Console
{
    /// <summary>The serial console: ASCII out, no allocation (it must work inside a panic).</summary>
    public static class KernelConsole
    {
        public static void Write(byte character) => Uart16550.Write(character);

        /// <summary>
        /// Writes <paramref name="text"/> whole: programs running at once (and the kernel's lines about
        /// them) do not mix inside one write. A writer that does not finish (a panic in the middle, a
        /// preempted thread) is waited for only so long, and then no longer at all: the console must
        /// keep working inside a panic.
        /// </summary>
        public static void Write(ReadOnlySpan<byte> text)
        {
            bool owned = AcquireWriter();
            for (int i = 0; i < text.Length; i++)
                Uart16550.Write(text[i]);
            if (owned)
                System.Threading.Volatile.Write(ref s_writer, 0);
        }

        private const int WriterPatience = 1 << 22; // spins (tens of milliseconds)
        private static int s_writer;
        private static int s_writerStuck;

        private static bool AcquireWriter()
        {
            if (System.Threading.Volatile.Read(ref s_writerStuck) != 0)
                return false;
            for (int spins = 0; spins < WriterPatience; spins++)
            {
                if (System.Threading.Interlocked.CompareExchange(ref s_writer, 1, 0) == 0)
                    return true;
                Cpu.Pause();
            }
            System.Threading.Volatile.Write(ref s_writerStuck, 1);
            return false;
        }

        public static void Write(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                Uart16550.Write(c < 128 ? (byte)c : (byte)'?');
            }
        }

        public static void WriteLine(string text)
        {
            Write(text);
            Write((byte)'\n');
        }

        public static void WriteLine() => Write((byte)'\n');

        /// <summary>"0x" and 16 hex digits.</summary>
        public static void WriteHex64(ulong value)
        {
            Span<byte> buffer = stackalloc byte[18];
            buffer[0] = (byte)'0';
            buffer[1] = (byte)'x';
            NumberFormat.Hex(buffer.Slice(2), value, 16);
            Write(buffer);
        }

        public static void WriteHexShort(ulong value)
        {
            Span<byte> buffer = stackalloc byte[18];
            buffer[0] = (byte)'0';
            buffer[1] = (byte)'x';
            int written = NumberFormat.HexShortest(buffer.Slice(2), value);
            Write(buffer.Slice(0, written + 2));
        }

        public static void WriteDecimal(ulong value)
        {
            Span<byte> buffer = stackalloc byte[20];
            int written = NumberFormat.Decimal(buffer, value);
            Write(buffer.Slice(0, written));
        }

        public static void WriteMilliseconds(ulong nanoseconds)
        {
            Span<byte> buffer = stackalloc byte[32];
            int written = NumberFormat.Milliseconds(buffer, nanoseconds);
            Write(buffer.Slice(0, written));
        }
    }
}
