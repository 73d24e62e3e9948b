namespace Osv.Vfs.Vfs;

/// <summary>st_mode type bits and permission masks, and d_type values (Linux, sys/stat.h, dirent.h).</summary>
public static class FileModes
{
    public const uint TypeMask = 0xF000;
    public const uint Socket = 0xC000;
    public const uint Symlink = 0xA000;
    public const uint Regular = 0x8000;
    public const uint BlockDevice = 0x6000;
    public const uint Directory = 0x4000;
    public const uint CharacterDevice = 0x2000;
    public const uint Fifo = 0x1000;
    public const uint PermissionMask = 0xFFF; // rwx for all three plus setuid, setgid, sticky
    public const uint AnyExecute = 0x49;      // 0111

    public static uint TypeBits(VnodeType type) => type switch
    {
        VnodeType.Regular => Regular,
        VnodeType.Directory => Directory,
        VnodeType.Symlink => Symlink,
        VnodeType.CharacterDevice => CharacterDevice,
        VnodeType.BlockDevice => BlockDevice,
        VnodeType.Fifo => Fifo,
        VnodeType.Socket => Socket,
        _ => 0,
    };

    /// <summary>The d_type of getdents64 (DT_REG and friends: the type bits shifted down by 12).</summary>
    public static byte DirectoryEntryType(VnodeType type) => (byte)(TypeBits(type) >> 12);
}
