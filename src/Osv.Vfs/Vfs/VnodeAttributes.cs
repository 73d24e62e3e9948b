namespace Osv.Vfs.Vfs;

/// <summary>What stat reports of a vnode, filled by the file system (the VFS adds the device number).</summary>
public struct VnodeAttributes
{
    /// <summary>Type bits and permissions, as st_mode.</summary>
    public uint Mode;
    public ulong LinkCount;
    public uint UserId;
    public uint GroupId;
    public long Size;
    /// <summary>Allocated space in 512-byte units (st_blocks).</summary>
    public long Blocks;
    public int BlockSize;
    /// <summary>For device nodes: the device number (st_rdev).</summary>
    public ulong RepresentedDevice;
    public Timestamp AccessTime;
    public Timestamp ModificationTime;
    public Timestamp ChangeTime;
}
