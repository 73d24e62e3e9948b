namespace Osv.Vfs.Vfs;

/// <summary>What statfs reports of a file system (block counts in <see cref="BlockSize"/> units).</summary>
public struct FileSystemStatistics
{
    public long Magic;
    public long BlockSize;
    public ulong TotalBlocks;
    public ulong FreeBlocks;
    public ulong AvailableBlocks;
    public ulong TotalNodes;
    public ulong FreeNodes;
    public long NameMax;
}
