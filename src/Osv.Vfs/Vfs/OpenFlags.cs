namespace Osv.Vfs.Vfs;

/// <summary>open(2) flags, Linux x86-64 values (asm-generic/fcntl.h).</summary>
public static class OpenFlags
{
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int ReadWrite = 2;
    public const int AccessModeMask = 3;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int NoControllingTerminal = 0x100;
    public const int Truncate = 0x200;
    public const int Append = 0x400;
    public const int NonBlocking = 0x800;
    public const int DataSync = 0x1000;
    public const int Async = 0x2000;
    public const int Direct = 0x4000;
    public const int LargeFile = 0x8000;
    public const int Directory = 0x10000;
    public const int NoFollow = 0x20000;
    public const int NoAccessTime = 0x40000;
    public const int CloseOnExec = 0x80000;
    public const int Sync = 0x101000;
    public const int Path = 0x200000;

    /// <summary>What F_SETFL may change (Linux: O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK).</summary>
    public const int SettableStatusFlags = Append | Async | Direct | NoAccessTime | NonBlocking;

    public static bool CanRead(int flags) => (flags & AccessModeMask) != WriteOnly;
    public static bool CanWrite(int flags) => (flags & AccessModeMask) == WriteOnly || (flags & AccessModeMask) == ReadWrite;
}
