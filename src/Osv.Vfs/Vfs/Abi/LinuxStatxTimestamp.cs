namespace Osv.Vfs.Vfs.Abi;

/// <summary><c>struct statx_timestamp</c>, 16 bytes (include/uapi/linux/stat.h).</summary>
public struct LinuxStatxTimestamp
{
    public long Seconds;
    public uint Nanoseconds;
    public int Reserved;
}
