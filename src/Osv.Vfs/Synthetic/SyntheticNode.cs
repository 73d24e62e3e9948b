using System;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Synthetic;

/// <summary>
/// A node of a synthetic file system (devfs, procfs, sysfs). The file system owns it from creation
/// to <see cref="SyntheticFileSystem.Destroy"/>; VFS holds do not decide its lifetime.
/// </summary>
public abstract class SyntheticNode : Vnode
{
    protected SyntheticNode(SyntheticFileSystem fileSystem, VnodeType type, uint permissions)
        : base(fileSystem, fileSystem.NextNodeId(), type)
    {
        Permissions = permissions;
    }

    public uint Permissions { get; }

    /// <summary>The next sibling in the parent directory.</summary>
    internal SyntheticNode? NextSibling;
    internal SyntheticName Name;

    public override void GetAttributes(out VnodeAttributes attributes)
    {
        attributes = default;
        attributes.Mode = FileModes.TypeBits(Type) | Permissions;
        attributes.LinkCount = IsDirectory ? 2UL : 1UL;
        attributes.BlockSize = 4096;
        AddAttributes(ref attributes);
    }

    /// <summary>Size, device number and the like, by kind.</summary>
    protected virtual void AddAttributes(ref VnodeAttributes attributes) { }

    /// <summary>Frees what the node owns beyond its name (called at unmount).</summary>
    internal virtual void DestroyContents() { }
}
