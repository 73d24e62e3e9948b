namespace Osv.Vfs.Manifest.Host;

public enum ManifestLineKind
{
    /// <summary><c>/guest: host</c> — a file, or a directory itself (not its contents).</summary>
    Copy,

    /// <summary><c>/guest/**: host/**</c> — the host directory tree, recursively.</summary>
    RecursiveCopy,

    /// <summary><c>/guest: -&gt;target</c> or <c>/guest -&gt; target</c>.</summary>
    Symlink,
}

/// <summary>
/// One meaningful manifest line after syntax checks: a normalized absolute guest path, and the
/// host path as written (relative to the manifest's folder, or absolute) or the symlink target.
/// For <see cref="ManifestLineKind.RecursiveCopy"/> both paths are the directories, without <c>/**</c>.
/// </summary>
public sealed record ManifestLine(int LineNumber, string GuestPath, ManifestLineKind Kind, string Source);
