namespace Osv.Core.Elf;

/// <summary>
/// Walks DT_RELR, the packed form of RELATIVE relocations: an even entry is an address to relocate; an odd
/// entry is a bitmap whose bits 1..63 mark the following 63 words. Each yielded address holds its own addend.
/// </summary>
public unsafe struct RelrCursor
{
    private const int BitsPerBitmap = 63;

    private readonly byte* _entries;
    private readonly ulong _count;
    private ulong _position;
    private ulong _next;
    private ulong _bitmap;
    private int _bit;

    public RelrCursor(in DynamicSection dynamic)
    {
        this = default;
        _bit = BitsPerBitmap;
        if (dynamic.Relr != 0 && dynamic.View.TryGetPointer(dynamic.Relr, dynamic.RelrSize, out byte* entries))
        {
            _entries = entries;
            _count = dynamic.RelrEntryCount;
        }
    }

    public bool TryNext(out ulong address)
    {
        while (true)
        {
            for (; _bit < BitsPerBitmap; _bit++)
            {
                if ((_bitmap >> (_bit + 1) & 1) != 0)
                {
                    address = _next + (ulong)_bit * 8;
                    _bit++;
                    return true;
                }
            }
            if (_bitmap != 0)
            {
                _next += BitsPerBitmap * 8;
                _bitmap = 0;
            }
            if (_position >= _count)
            {
                address = 0;
                return false;
            }
            ulong entry = ElfBytes.Read64(_entries + _position++ * 8);
            if ((entry & 1) == 0)
            {
                address = entry;
                _next = entry + 8;
                return true;
            }
            _bitmap = entry;
            _bit = 0;
        }
    }
}
