namespace Osv.Vfs.Vfs.Abi;

/// <summary>Linux x86-64 <c>struct flock</c>, 32 bytes: l_type, l_whence (shorts), l_start, l_len, l_pid.</summary>
public struct FileLock
{
    public const short Read = 0, Write = 1, Unlock = 2; // F_RDLCK, F_WRLCK, F_UNLCK

    public short Type;        //  0 l_type
    public short Whence;      //  2 l_whence
    public int Padding;       //  4
    public long Start;        //  8 l_start
    public long Length;       // 16 l_len
    public int ProcessId;     // 24 l_pid
    public int Padding2;      // 28, ends at 32
}
