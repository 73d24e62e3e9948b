namespace Osv.Vfs.Vfs;

/// <summary>
/// The outcome of a path resolution. <see cref="Node"/> is the node named (held), or null when a
/// <see cref="LookupOptions.WantParent"/> lookup found no such name; <see cref="Parent"/> (held) is
/// set only by WantParent lookups whose last component is a <see cref="LastComponentKind.Name"/>,
/// whose bytes are then in the caller's name buffer (<see cref="NameLength"/>).
/// </summary>
public struct ResolvedPath
{
    public Vnode? Parent;
    public Vnode? Node;
    public int NameLength;
    public LastComponentKind Kind;
    /// <summary>The path ended in '/' (the last component must be, or become, a directory).</summary>
    public bool TrailingSlash;

    public void Release()
    {
        Node?.Release();
        Parent?.Release();
        Node = null;
        Parent = null;
    }
}
