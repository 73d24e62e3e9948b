using System;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Procfs;

/// <summary>
/// Makes /proc: mounts (from the mount table), cpuinfo and meminfo, and self/ with maps, mounts and the
/// exe symlink; the kernel supplies the generators for what only it knows. And a minimal /sys.
/// </summary>
public static class ProcfsBuilder
{
    public const long ProcMagic = 0x9fa0;   // PROC_SUPER_MAGIC
    public const long SysfsMagic = 0x62656572; // SYSFS_MAGIC

    /// <summary>The generators the kernel supplies; a null one leaves its file out.</summary>
    public struct Generators
    {
        public IContentGenerator? CpuInfo;
        public IContentGenerator? MemInfo;
        public IContentGenerator? Maps;
        public IContentGenerator? Executable;
    }

    /// <summary>A /proc whose mount list comes from <paramref name="vfs"/>. <paramref name="mounts"/> is the caller's generator object (it owns it).</summary>
    public static long Create(in NativeAllocator allocator, IVfsLock fileSystemLock, MountsGenerator mounts, in Generators generators, out SyntheticFileSystem? procfs)
    {
        var created = new SyntheticFileSystem("proc"u8, ProcMagic, allocator, fileSystemLock);
        SyntheticDirectory root = created.RootDirectory;
        long status = created.AddGeneratedFile(root, "mounts"u8, mounts);
        status = AddOptional(created, root, "cpuinfo"u8, generators.CpuInfo, symlink: false, status);
        status = AddOptional(created, root, "meminfo"u8, generators.MemInfo, symlink: false, status);
        SyntheticDirectory? self = null;
        if (status == 0)
            status = created.AddDirectory(root, "self"u8, out self);
        if (status == 0)
            status = created.AddGeneratedFile(self!, "mounts"u8, mounts);
        status = AddOptional(created, self, "maps"u8, generators.Maps, symlink: false, status);
        status = AddOptional(created, self, "exe"u8, generators.Executable, symlink: true, status);
        if (status != 0)
        {
            created.Destroy();
            ObjectRelease.Free(created);
            procfs = null;
            return status;
        }
        procfs = created;
        return 0;
    }

    private static long AddOptional(SyntheticFileSystem procfs, SyntheticDirectory? directory, ReadOnlySpan<byte> name, IContentGenerator? generator, bool symlink, long status)
    {
        if (status != 0 || generator is null || directory is null)
            return status;
        return symlink ? procfs.AddGeneratedSymlink(directory, name, generator) : procfs.AddGeneratedFile(directory, name, generator);
    }

    /// <summary>An empty /sys for now (programs that probe it find a directory).</summary>
    public static SyntheticFileSystem CreateSysfs(in NativeAllocator allocator, IVfsLock fileSystemLock) =>
        new SyntheticFileSystem("sysfs"u8, SysfsMagic, allocator, fileSystemLock);
}
