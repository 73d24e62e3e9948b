using System;
using System.Runtime.CompilerServices;

namespace Osv.Core.Elf;

/// <summary>Little-endian reads at any alignment: ELF tables in a file image need not be naturally aligned.</summary>
internal static unsafe class ElfBytes
{
    public static ushort Read16(byte* at) => Unsafe.ReadUnaligned<ushort>(at);
    public static uint Read32(byte* at) => Unsafe.ReadUnaligned<uint>(at);
    public static ulong Read64(byte* at) => Unsafe.ReadUnaligned<ulong>(at);
    public static void Write32(byte* at, uint value) => Unsafe.WriteUnaligned(at, value);
    public static void Write64(byte* at, ulong value) => Unsafe.WriteUnaligned(at, value);

    public static bool Equal(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
            return false;
        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i])
                return false;
        }
        return true;
    }
}
