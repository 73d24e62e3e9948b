namespace Osv.Vfs.Vfs;

/// <summary>Linux limits (linux/limits.h) and the symlink budget of one lookup (fs/namei.c: 40).</summary>
public static class PathLimits
{
    /// <summary>PATH_MAX: bytes of a path including its NUL, so a path of 4096 bytes or more is ENAMETOOLONG.</summary>
    public const int PathMax = 4096;

    /// <summary>NAME_MAX: bytes of one component.</summary>
    public const int NameMax = 255;

    /// <summary>Symlinks one resolution may follow before it is ELOOP.</summary>
    public const int MaxSymlinkFollows = 40;
}
