namespace Osv.Vfs.Vfs.Abi;

/// <summary>
/// Linux x86-64 <c>struct statfs</c>, 120 bytes (include/uapi/asm-generic/statfs.h with 64-bit
/// <c>__statfs_word</c>; glibc's bits/statfs.h agrees).
/// </summary>
public struct LinuxStatfs
{
    public long Type;            //   0 f_type (magic)
    public long BlockSize;       //   8 f_bsize
    public ulong Blocks;         //  16 f_blocks
    public ulong FreeBlocks;     //  24 f_bfree
    public ulong AvailableBlocks; // 32 f_bavail
    public ulong Files;          //  40 f_files
    public ulong FreeFiles;      //  48 f_ffree
    public int FileSystemId0;    //  56 f_fsid.val[0]
    public int FileSystemId1;    //  60 f_fsid.val[1]
    public long NameLength;      //  64 f_namelen
    public long FragmentSize;    //  72 f_frsize
    public long Flags;           //  80 f_flags (ST_RDONLY = 1)
    public long Spare0;          //  88 f_spare[4]
    public long Spare1;
    public long Spare2;
    public long Spare3;          // ends at 120

    public const long ReadOnlyFlag = 1;
}
