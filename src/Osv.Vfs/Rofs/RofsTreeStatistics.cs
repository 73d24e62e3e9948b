namespace Osv.Vfs.Rofs;

/// <summary>What <see cref="RofsVolume.Verify"/> counted on its walk (the root counts as a directory).</summary>
public struct RofsTreeStatistics
{
    public ulong Directories;
    public ulong RegularFiles;
    public ulong Symlinks;
    public ulong FileBytes;
    public int MaxDepth;
}
