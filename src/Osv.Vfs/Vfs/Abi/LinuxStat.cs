namespace Osv.Vfs.Vfs.Abi;

/// <summary>
/// Linux x86-64 <c>struct stat</c>, 144 bytes (arch/x86/include/uapi/asm/stat.h, the
/// <c>__x86_64__</c> branch; glibc's sysdeps/unix/sysv/linux/x86/bits/struct_stat.h agrees). Fields
/// are in declaration order with natural alignment, which C# structs keep.
/// </summary>
public struct LinuxStat
{
    public ulong Device;          //   0 st_dev
    public ulong Inode;           //   8 st_ino
    public ulong LinkCount;       //  16 st_nlink
    public uint Mode;             //  24 st_mode
    public uint UserId;           //  28 st_uid
    public uint GroupId;          //  32 st_gid
    public int Padding0;          //  36 __pad0
    public ulong RepresentedDevice; // 40 st_rdev
    public long Size;             //  48 st_size
    public long BlockSize;        //  56 st_blksize
    public long Blocks;           //  64 st_blocks (512-byte units)
    public long AccessSeconds;    //  72 st_atim
    public long AccessNanoseconds;
    public long ModificationSeconds; // 88 st_mtim
    public long ModificationNanoseconds;
    public long ChangeSeconds;    // 104 st_ctim
    public long ChangeNanoseconds;
    public long Reserved0;        // 120 __unused[3]
    public long Reserved1;
    public long Reserved2;        // ends at 144
}
