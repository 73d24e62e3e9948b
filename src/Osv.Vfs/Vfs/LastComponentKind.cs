namespace Osv.Vfs.Vfs;

/// <summary>What the last component of a resolved path was; operations that create or remove names need it (Linux's LAST_NORM and friends).</summary>
public enum LastComponentKind : byte
{
    /// <summary>An ordinary name.</summary>
    Name,
    /// <summary>".": the node is the directory itself.</summary>
    Dot,
    /// <summary>"..".</summary>
    DotDot,
    /// <summary>No component at all: "/" (or an empty path with AT_EMPTY_PATH).</summary>
    Root,
}
