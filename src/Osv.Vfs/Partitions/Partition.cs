using Osv.Vfs.Formats;
using System;

namespace Osv.Vfs.Partitions;

/// <summary>
/// One used partition of a disk, as <see cref="PartitionTableReader"/> reports it. MBR partitions
/// carry a type byte, GPT partitions a type GUID, a unique GUID, attributes and a name.
/// </summary>
public unsafe struct Partition
{
    /// <summary>Code units of a GPT partition name (72 bytes of UTF-16LE).</summary>
    public const int MaxNameLength = 36;

    private fixed char _name[MaxNameLength];

    /// <summary>1-based slot in the table: the <c>N</c> of <c>/dev/vblk0.N</c>; unused slots leave gaps, as on Linux.</summary>
    public int Index { get; internal set; }

    public ulong StartLba { get; internal set; }

    public ulong SectorCount { get; internal set; }

    /// <summary>The sector after the last one, so ranges compare half-open.</summary>
    public ulong EndLba => StartLba + SectorCount;

    /// <summary>MBR partition type (0x83 Linux, ...); 0 on GPT disks.</summary>
    public byte MbrType { get; internal set; }

    /// <summary>MBR status byte 0x80; GPT has no boot flag here (see <see cref="GptAttributes"/>).</summary>
    public bool IsBootable { get; internal set; }

    /// <summary>GPT partition type; empty on MBR disks.</summary>
    public GptGuid TypeGuid { get; internal set; }

    /// <summary>GPT unique partition GUID; empty on MBR disks.</summary>
    public GptGuid UniqueGuid { get; internal set; }

    public ulong GptAttributes { get; internal set; }

    /// <summary>Length of the GPT name (up to its first NUL); 0 on MBR disks.</summary>
    public int NameLength { get; private set; }

    /// <summary>Copies the GPT name; returns its length, or -1 if <paramref name="destination"/> is shorter.</summary>
    public int CopyName(Span<char> destination)
    {
        if (destination.Length < NameLength)
            return -1;
        for (int i = 0; i < NameLength; i++)
            destination[i] = _name[i];
        return NameLength;
    }

    /// <summary>Takes the UTF-16LE name field of a GPT entry, up to its first NUL.</summary>
    internal void SetNameFromUtf16(ReadOnlySpan<byte> field)
    {
        int length = 0;
        while (length < MaxNameLength && 2 * length + 1 < field.Length)
        {
            char c = (char)LittleEndianBytes.ReadUInt16(field, 2 * length);
            if (c == '\0')
                break;
            _name[length] = c;
            length++;
        }
        NameLength = length;
    }
}
