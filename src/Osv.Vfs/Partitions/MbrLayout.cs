namespace Osv.Vfs.Partitions;

/// <summary>Byte layout of the DOS/MBR partition table in sector 0, shared by the reader and the writers.</summary>
public static class MbrLayout
{
    public const int EntriesOffset = 446;
    public const int EntrySize = 16;
    public const int EntryCount = 4;
    public const int SignatureOffset = 510;
    public const byte Signature0 = 0x55;
    public const byte Signature1 = 0xAA;

    // Offsets inside one 16-byte entry.
    public const int StatusField = 0;
    public const int FirstChsField = 1;
    public const int TypeField = 4;
    public const int LastChsField = 5;
    public const int StartLbaField = 8;
    public const int SectorCountField = 12;

    public const byte StatusBootable = 0x80;

    /// <summary>The one entry of a protective MBR, covering the GPT disk.</summary>
    public const byte ProtectiveType = 0xEE;

    /// <summary>"Linux" partition type, which OSv's images use for rofs and ZFS.</summary>
    public const byte LinuxType = 0x83;
}
