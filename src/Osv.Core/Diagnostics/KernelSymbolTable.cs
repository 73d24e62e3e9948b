using System;
namespace Osv.Core.Diagnostics
{
    /// <summary>
    /// The `.ksyms` blob `osv build` links into the image: magic "KSYM", count, string-table offset,
    /// then (address, size, name offset) entries sorted by address, then NUL-terminated names.
    /// Lookups never read outside the blob, so a corrupt table yields "no symbol", not a fault.
    /// </summary>
    public readonly unsafe struct KernelSymbolTable
    {
        public const uint Magic = 0x4D59534B;
        private const int HeaderSize = 16;
        private const int EntrySize = 16;

        private readonly byte* _blob;
        private readonly int _length;
        private readonly int _count;
        private readonly int _stringTable;

        public KernelSymbolTable(byte* blob, int length)
        {
            _blob = blob;
            _length = length;
            _count = 0;
            _stringTable = 0;
            if (blob == null || length < HeaderSize || *(uint*)blob != Magic)
                return;
            uint count = *(uint*)(blob + 4);
            ulong stringTable = *(ulong*)(blob + 8);
            if (count > (uint)((length - HeaderSize) / EntrySize) || stringTable > (ulong)length || stringTable < HeaderSize + (ulong)count * EntrySize)
                return;
            _count = (int)count;
            _stringTable = (int)stringTable;
        }

        public int Count => _count;

        private ulong AddressAt(int index) => *(ulong*)(_blob + HeaderSize + index * EntrySize);
        private uint SizeAt(int index) => *(uint*)(_blob + HeaderSize + index * EntrySize + 8);
        private uint NameOffsetAt(int index) => *(uint*)(_blob + HeaderSize + index * EntrySize + 12);

        /// <summary>Finds the function containing <paramref name="address"/>: its name and the offset into it.</summary>
        public bool TryLookup(ulong address, out ReadOnlySpan<byte> name, out ulong offset)
        {
            name = default;
            offset = 0;
            int low = 0;
            int high = _count - 1;
            int found = -1;
            while (low <= high)
            {
                int middle = low + (high - low) / 2;
                if (AddressAt(middle) <= address)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
            if (found < 0)
                return false;
            ulong start = AddressAt(found);
            uint size = SizeAt(found);
            offset = address - start;
            if (size != 0 && offset >= size)
                return false;
            name = NameAt(NameOffsetAt(found));
            return !name.IsEmpty;
        }

        /// <summary>The NUL-terminated name at <paramref name="nameOffset"/>; empty if it is unterminated or out of range.</summary>
        private ReadOnlySpan<byte> NameAt(uint nameOffset)
        {
            ulong start = (ulong)_stringTable + nameOffset;
            if (start >= (ulong)_length)
                return default;
            int length = 0;
            while (start + (ulong)length < (ulong)_length)
            {
                if (_blob[start + (ulong)length] == 0)
                    return new ReadOnlySpan<byte>(_blob + start, length);
                length++;
            }
            return default;
        }
    }
}
