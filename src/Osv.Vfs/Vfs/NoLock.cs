namespace Osv.Vfs.Vfs;

/// <summary>A lock that does nothing: for one thread (boot, single-threaded tests).</summary>
public sealed class NoLock : IVfsLock
{
    public void Acquire() { }
    public void Release() { }
}
