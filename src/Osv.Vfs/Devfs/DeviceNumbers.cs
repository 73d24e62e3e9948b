namespace Osv.Vfs.Devfs;

/// <summary>Linux's device numbers for the standard nodes (Documentation/admin-guide/devices.txt), as st_rdev (major &lt;&lt; 8 | minor).</summary>
public static class DeviceNumbers
{
    public const ulong Null = (1 << 8) | 3;
    public const ulong Zero = (1 << 8) | 5;
    public const ulong Full = (1 << 8) | 7;
    public const ulong Random = (1 << 8) | 8;
    public const ulong Urandom = (1 << 8) | 9;
    public const ulong Console = (5 << 8) | 1;
    /// <summary>virtio-blk's major (dynamic on Linux; 252 here), minor = disk * 16 + partition.</summary>
    public const ulong VirtioBlockMajor = 252;
}
