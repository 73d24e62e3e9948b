namespace Osv.Vfs.Vfs;

/// <summary>
/// Gives an object's memory back. The kernel has no garbage collector, so each owner frees what it
/// allocated with <c>new</c>; on the host the collector does it and this is a no-op.
/// </summary>
internal static class ObjectRelease
{
    public static void Free(object? instance)
    {
#if KERNEL
        Osv.Runtime.ObjectMemory.Free(instance);
#endif
    }
}
