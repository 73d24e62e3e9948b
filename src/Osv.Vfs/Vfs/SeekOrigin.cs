namespace Osv.Vfs.Vfs;

/// <summary>lseek(2) whence values.</summary>
public static class SeekOrigin
{
    public const int Set = 0;
    public const int Current = 1;
    public const int End = 2;
}
