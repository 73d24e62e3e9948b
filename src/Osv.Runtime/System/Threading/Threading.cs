using System.Runtime.CompilerServices;

namespace System.Threading
{
    /// <summary>Reads and writes the compiler and CPU may not cache or reorder (MMIO, flags shared with interrupts).</summary>
    public static class Volatile
    {
        private struct VolatileByte { public volatile byte Value; }
        private struct VolatileInt32 { public volatile int Value; }
        private struct VolatileUInt32 { public volatile uint Value; }
        private struct VolatileIntPtr { public volatile nint Value; }
        private struct VolatileUIntPtr { public volatile nuint Value; }
        private struct VolatileBoolean { public volatile bool Value; }

        public static byte Read(ref readonly byte location) => Unsafe.As<byte, VolatileByte>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref byte location, byte value) => Unsafe.As<byte, VolatileByte>(ref location).Value = value;
        public static bool Read(ref readonly bool location) => Unsafe.As<bool, VolatileBoolean>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref bool location, bool value) => Unsafe.As<bool, VolatileBoolean>(ref location).Value = value;
        public static int Read(ref readonly int location) => Unsafe.As<int, VolatileInt32>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref int location, int value) => Unsafe.As<int, VolatileInt32>(ref location).Value = value;
        public static uint Read(ref readonly uint location) => Unsafe.As<uint, VolatileUInt32>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref uint location, uint value) => Unsafe.As<uint, VolatileUInt32>(ref location).Value = value;
        public static nint Read(ref readonly nint location) => Unsafe.As<nint, VolatileIntPtr>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref nint location, nint value) => Unsafe.As<nint, VolatileIntPtr>(ref location).Value = value;
        public static nuint Read(ref readonly nuint location) => Unsafe.As<nuint, VolatileUIntPtr>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref nuint location, nuint value) => Unsafe.As<nuint, VolatileUIntPtr>(ref location).Value = value;
        public static long Read(ref readonly long location) => (long)Unsafe.As<long, VolatileIntPtr>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref long location, long value) => Unsafe.As<long, VolatileIntPtr>(ref location).Value = (nint)value;
        public static ulong Read(ref readonly ulong location) => (ulong)Unsafe.As<ulong, VolatileUIntPtr>(ref Unsafe.AsRef(in location)).Value;
        public static void Write(ref ulong location, ulong value) => Unsafe.As<ulong, VolatileUIntPtr>(ref location).Value = (nuint)value;
    }

    /// <summary>Atomic operations; RyuJIT expands each [Intrinsic] body into a locked instruction.</summary>
    public static class Interlocked
    {
        [Intrinsic] public static int CompareExchange(ref int location1, int value, int comparand) => CompareExchange(ref location1, value, comparand);
        [Intrinsic] public static long CompareExchange(ref long location1, long value, long comparand) => CompareExchange(ref location1, value, comparand);
        public static nint CompareExchange(ref nint location1, nint value, nint comparand)
            => (nint)CompareExchange(ref Unsafe.As<nint, long>(ref location1), (long)value, (long)comparand);
        public static uint CompareExchange(ref uint location1, uint value, uint comparand)
            => (uint)CompareExchange(ref Unsafe.As<uint, int>(ref location1), (int)value, (int)comparand);
        public static ulong CompareExchange(ref ulong location1, ulong value, ulong comparand)
            => (ulong)CompareExchange(ref Unsafe.As<ulong, long>(ref location1), (long)value, (long)comparand);
        [Intrinsic] public static int Exchange(ref int location1, int value) => Exchange(ref location1, value);
        [Intrinsic] public static long Exchange(ref long location1, long value) => Exchange(ref location1, value);
        [Intrinsic] public static int ExchangeAdd(ref int location1, int value) => ExchangeAdd(ref location1, value);
        [Intrinsic] public static long ExchangeAdd(ref long location1, long value) => ExchangeAdd(ref location1, value);
        public static int Add(ref int location1, int value) => ExchangeAdd(ref location1, value) + value;
        public static long Add(ref long location1, long value) => ExchangeAdd(ref location1, value) + value;
        public static int Increment(ref int location) => Add(ref location, 1);
        public static int Decrement(ref int location) => Add(ref location, -1);
        public static long Increment(ref long location) => Add(ref location, 1);
        public static long Decrement(ref long location) => Add(ref location, -1);
        [Intrinsic] public static void MemoryBarrier() => MemoryBarrier();

        /// <summary>Atomically ORs <paramref name="value"/> into <paramref name="location1"/>; returns the original value.</summary>
        public static long Or(ref long location1, long value)
        {
            long current = location1;
            while (true)
            {
                long seen = CompareExchange(ref location1, current | value, current);
                if (seen == current)
                    return seen;
                current = seen;
            }
        }

        /// <summary>Atomically ANDs <paramref name="value"/> into <paramref name="location1"/>; returns the original value.</summary>
        public static long And(ref long location1, long value)
        {
            long current = location1;
            while (true)
            {
                long seen = CompareExchange(ref location1, current & value, current);
                if (seen == current)
                    return seen;
                current = seen;
            }
        }
    }
}
