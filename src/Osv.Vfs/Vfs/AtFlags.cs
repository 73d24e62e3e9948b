namespace Osv.Vfs.Vfs;

/// <summary>The *at() family's directory argument and flags (Linux values, fcntl.h).</summary>
public static class AtFlags
{
    /// <summary>Resolve relative paths against the current directory.</summary>
    public const int CurrentDirectory = -100;
    public const int SymlinkNoFollow = 0x100;
    public const int RemoveDirectory = 0x200;
    public const int SymlinkFollow = 0x400;
    public const int NoAutomount = 0x800;
    public const int EmptyPath = 0x1000;
}
