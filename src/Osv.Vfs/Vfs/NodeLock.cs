namespace Osv.Vfs.Vfs;

/// <summary>Takes a vnode's file-system lock around a call, unless the vnode synchronizes itself (pipes, consoles).</summary>
internal static class NodeLock
{
    public static void Enter(Vnode node)
    {
        if (!node.SynchronizesItself)
            node.FileSystem.Lock.Acquire();
    }

    public static void Exit(Vnode node)
    {
        if (!node.SynchronizesItself)
            node.FileSystem.Lock.Release();
    }
}
