namespace Osv.Vfs.Vfs.Abi;

/// <summary>
/// Linux <c>struct statx</c>, 256 bytes (include/uapi/linux/stat.h, Linux 6.x: the fields up to
/// stx_mnt_id are filled, the rest is spare and zero).
/// </summary>
public struct LinuxStatx
{
    public uint Mask;                  //   0 stx_mask: which fields are filled
    public uint BlockSize;             //   4 stx_blksize
    public ulong Attributes;           //   8 stx_attributes
    public uint LinkCount;             //  16 stx_nlink
    public uint UserId;                //  20 stx_uid
    public uint GroupId;               //  24 stx_gid
    public ushort Mode;                //  28 stx_mode
    public ushort Spare0;              //  30
    public ulong Inode;                //  32 stx_ino
    public ulong Size;                 //  40 stx_size
    public ulong Blocks;               //  48 stx_blocks
    public ulong AttributesMask;       //  56 stx_attributes_mask
    public LinuxStatxTimestamp AccessTime;       //  64 stx_atime
    public LinuxStatxTimestamp BirthTime;        //  80 stx_btime
    public LinuxStatxTimestamp ChangeTime;       //  96 stx_ctime
    public LinuxStatxTimestamp ModificationTime; // 112 stx_mtime
    public uint RepresentedDeviceMajor; // 128 stx_rdev_major
    public uint RepresentedDeviceMinor; // 132
    public uint DeviceMajor;           // 136 stx_dev_major
    public uint DeviceMinor;           // 140
    public ulong MountId;              // 144 stx_mnt_id
    public ulong Spare1;               // 152..255: later fields (dio alignment, ...) and __spare3
    public ulong Spare2;
    public ulong Spare3;
    public ulong Spare4;
    public ulong Spare5;
    public ulong Spare6;
    public ulong Spare7;
    public ulong Spare8;
    public ulong Spare9;
    public ulong Spare10;
    public ulong Spare11;
    public ulong Spare12;
    public ulong Spare13;

    // stx_mask bits
    public const uint TypeBit = 0x1;
    public const uint ModeBit = 0x2;
    public const uint LinkCountBit = 0x4;
    public const uint UserIdBit = 0x8;
    public const uint GroupIdBit = 0x10;
    public const uint AccessTimeBit = 0x20;
    public const uint ModificationTimeBit = 0x40;
    public const uint ChangeTimeBit = 0x80;
    public const uint InodeBit = 0x100;
    public const uint SizeBit = 0x200;
    public const uint BlocksBit = 0x400;
    /// <summary>STATX_BASIC_STATS: what stat(2) has.</summary>
    public const uint BasicStats = 0x7FF;
    public const uint MountIdBit = 0x1000;
}
