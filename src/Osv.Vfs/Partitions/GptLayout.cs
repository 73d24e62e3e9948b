namespace Osv.Vfs.Partitions;

/// <summary>Byte layout of the UEFI GPT header and partition entries, shared by the reader and the writers.</summary>
public static class GptLayout
{
    public const ulong PrimaryHeaderLba = 1;

    /// <summary>"EFI PART" read as a little-endian 64-bit number.</summary>
    public const ulong Signature = 0x5452415020494645;

    public const uint Revision1_0 = 0x00010000;

    /// <summary>Bytes of the header the CRC covers in revision 1.0.</summary>
    public const int HeaderSize = 92;

    // Header fields.
    public const int SignatureField = 0;
    public const int RevisionField = 8;
    public const int HeaderSizeField = 12;
    public const int HeaderCrcField = 16;
    public const int ReservedField = 20;
    public const int MyLbaField = 24;
    public const int AlternateLbaField = 32;
    public const int FirstUsableLbaField = 40;
    public const int LastUsableLbaField = 48;
    public const int DiskGuidField = 56;
    public const int EntriesLbaField = 72;
    public const int EntryCountField = 80;
    public const int EntrySizeField = 84;
    public const int EntriesCrcField = 88;

    /// <summary>The entry size every tool writes; the specification allows 128 * 2^n.</summary>
    public const int EntrySize = 128;

    /// <summary>Entries in the array every tool writes by default (32 sectors).</summary>
    public const int DefaultEntryCount = 128;

    /// <summary>A reader's bound: real tables have 128; more than this is taken as corruption.</summary>
    public const int MaxEntryCount = 4096;

    /// <summary>Largest entry size accepted (128 * 2^3).</summary>
    public const int MaxEntrySize = 1024;

    // Entry fields.
    public const int TypeGuidField = 0;
    public const int UniqueGuidField = 16;
    public const int StartLbaField = 32;
    public const int EndLbaField = 40;
    public const int AttributesField = 48;
    public const int NameField = 56;
    public const int NameFieldSize = 72;
}
