namespace Osv.Vfs.Vfs;

/// <summary>access(2) mode bits (unistd.h).</summary>
public static class AccessModes
{
    public const int Exists = 0;
    public const int Execute = 1;
    public const int Write = 2;
    public const int Read = 4;
}
