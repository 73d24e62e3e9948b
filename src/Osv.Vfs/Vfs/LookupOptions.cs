using System;

namespace Osv.Vfs.Vfs;

/// <summary>How <see cref="VirtualFileSystem.Resolve"/> treats the last component.</summary>
[Flags]
public enum LookupOptions
{
    None = 0,
    /// <summary>Follow a symlink in the last component (stat, open without O_NOFOLLOW).</summary>
    FollowFinal = 1,
    /// <summary>Return the parent and the last name even if the last component does not exist (create, unlink, rename).</summary>
    WantParent = 2,
    /// <summary>An empty path means the start directory (AT_EMPTY_PATH).</summary>
    AllowEmpty = 4,
}
