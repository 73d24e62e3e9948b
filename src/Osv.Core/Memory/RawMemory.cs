using System.Runtime.CompilerServices;

namespace Osv.Core.Memory;

/// <summary>Bulk copy and fill over raw memory with native-sized lengths (Unsafe's block operations take 32-bit lengths).</summary>
public static unsafe class RawMemory
{
    private const uint MaxChunk = 0x4000_0000;

    public static void Zero(void* destination, nuint byteCount) => Fill(destination, 0, byteCount);

    public static void Fill(void* destination, byte value, nuint byteCount)
    {
        byte* cursor = (byte*)destination;
        while (byteCount != 0)
        {
            uint chunk = byteCount > MaxChunk ? MaxChunk : (uint)byteCount;
            Unsafe.InitBlock(cursor, value, chunk);
            cursor += chunk;
            byteCount -= chunk;
        }
    }

    /// <summary>Copies between ranges that do not overlap.</summary>
    public static void Copy(void* destination, void* source, nuint byteCount)
    {
        byte* to = (byte*)destination;
        byte* from = (byte*)source;
        while (byteCount != 0)
        {
            uint chunk = byteCount > MaxChunk ? MaxChunk : (uint)byteCount;
            Unsafe.CopyBlock(to, from, chunk);
            to += chunk;
            from += chunk;
            byteCount -= chunk;
        }
    }
}
