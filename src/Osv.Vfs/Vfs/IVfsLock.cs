namespace Osv.Vfs.Vfs;

/// <summary>
/// A sleeping mutual-exclusion lock the kernel plugs in (its mutex); host tests use
/// <see cref="NoLock"/> or a monitor. Not recursive: the VFS never takes one it holds.
/// </summary>
public interface IVfsLock
{
    void Acquire();
    void Release();
}
