namespace Osv.Core.Memory;

/// <summary>
/// One bit per page over raw memory: set means free, clear means allocated.
/// Range operations work a 64-bit word at a time so multi-gigabyte runs stay cheap.
/// </summary>
internal static unsafe class PageBitmap
{
    public const int BitsPerWord = 64;

    /// <summary>Bytes needed for <paramref name="bitCount"/> bits, rounded up to whole words.</summary>
    public static nuint BytesFor(nuint bitCount) => (bitCount + BitsPerWord - 1) / BitsPerWord * sizeof(ulong);

    public static bool IsSet(ulong* words, nuint index) =>
        (words[index / BitsPerWord] & (1UL << (int)(index % BitsPerWord))) != 0;

    public static void SetRange(ulong* words, nuint first, nuint count)
    {
        while (count != 0)
        {
            ulong mask = NextMask(first, count, out nuint taken);
            words[first / BitsPerWord] |= mask;
            first += taken;
            count -= taken;
        }
    }

    public static void ClearRange(ulong* words, nuint first, nuint count)
    {
        while (count != 0)
        {
            ulong mask = NextMask(first, count, out nuint taken);
            words[first / BitsPerWord] &= ~mask;
            first += taken;
            count -= taken;
        }
    }

    public static bool IsRangeClear(ulong* words, nuint first, nuint count)
    {
        while (count != 0)
        {
            ulong mask = NextMask(first, count, out nuint taken);
            if ((words[first / BitsPerWord] & mask) != 0)
                return false;
            first += taken;
            count -= taken;
        }
        return true;
    }

    /// <summary>Number of set bits in [first, first + count): used by integrity checks.</summary>
    public static nuint CountSet(ulong* words, nuint first, nuint count)
    {
        nuint total = 0;
        while (count != 0)
        {
            ulong bits = words[first / BitsPerWord] & NextMask(first, count, out nuint taken);
            while (bits != 0)
            {
                bits &= bits - 1;
                total++;
            }
            first += taken;
            count -= taken;
        }
        return total;
    }

    // The mask of the bits of [first, first + count) that fall into first's word.
    private static ulong NextMask(nuint first, nuint count, out nuint taken)
    {
        int bit = (int)(first % BitsPerWord);
        nuint roomInWord = (nuint)(BitsPerWord - bit);
        taken = count < roomInWord ? count : roomInWord;
        ulong lowBits = taken == BitsPerWord ? ulong.MaxValue : (1UL << (int)taken) - 1;
        return lowBits << bit;
    }
}
