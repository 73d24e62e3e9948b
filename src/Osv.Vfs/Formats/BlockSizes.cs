namespace Osv.Vfs.Formats;

/// <summary>Sector size shared by the partition tables and the rofs/bootfs formats.</summary>
public static class BlockSizes
{
    public const int Sector = 512;
}
