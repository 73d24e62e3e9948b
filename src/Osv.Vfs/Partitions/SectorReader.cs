using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Partitions;

/// <summary>
/// A caller's way to read whole sectors of a disk: a function pointer and its context, so a block
/// driver can serve <see cref="PartitionTableReader"/> without the reader knowing it.
/// </summary>
public unsafe readonly struct SectorReader
{
    private readonly delegate*<void*, ulong, Span<byte>, bool> _read;
    private readonly void* _context;

    /// <param name="read">Fills the span (a whole number of sectors) from the given LBA; false on an I/O error.</param>
    public SectorReader(delegate*<void*, ulong, Span<byte>, bool> read, void* context)
    {
        _read = read;
        _context = context;
    }

    public bool IsValid => _read != null;

    public bool Read(ulong firstLba, Span<byte> destination) =>
        _read != null && destination.Length % BlockSizes.Sector == 0 && _read(_context, firstLba, destination);
}
