using System;
using System.Security.Cryptography;
using System.Text;
using Osv.Vfs.Rofs;
using Osv.Vfs.Tests.Support;
using Xunit;

namespace Osv.Vfs.Tests.Rofs;

/// <summary>Mounting with the tracking allocator, path resolution and whole-file reads for the rofs tests.</summary>
internal static unsafe class RofsTestKit
{
    public static RofsResult TryMount(byte[] image, out RofsVolume? volume, int cacheWindows = RofsVolume.DefaultCacheWindows) =>
        TryMount(new MemoryBlockDevice(image), out volume, cacheWindows);

    public static RofsResult TryMount(IBlockDevice device, out RofsVolume? volume, int cacheWindows = RofsVolume.DefaultCacheWindows) =>
        RofsVolume.Mount(device, TrackingAllocator.AllocateFunction, TrackingAllocator.FreeFunction, cacheWindows, out volume);

    public static RofsVolume Mount(byte[] image, int cacheWindows = RofsVolume.DefaultCacheWindows) =>
        Mount(new MemoryBlockDevice(image), cacheWindows);

    public static RofsVolume Mount(IBlockDevice device, int cacheWindows = RofsVolume.DefaultCacheWindows)
    {
        RofsResult result = TryMount(device, out RofsVolume? volume, cacheWindows);
        Assert.True(result.IsOk, $"mount failed: {Describe(result)}");
        return volume!;
    }

    public static string Describe(RofsResult result) =>
        $"{result.Status} {result.Structure} index={result.Index} offset={result.Offset} errno={result.Errno}";

    public static void AssertOk(RofsResult result) => Assert.True(result.IsOk, Describe(result));

    /// <summary>Walks "/a/b/c" with Lookup (symlinks are not followed).</summary>
    public static RofsInode Resolve(RofsVolume volume, string path)
    {
        AssertOk(volume.GetInode(RofsLayout.RootInodeNumber, out RofsInode inode));
        foreach (string name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            AssertOk(volume.Lookup(inode, Encoding.UTF8.GetBytes(name), out inode));
        return inode;
    }

    /// <summary>Reads a whole file in chunks of <paramref name="chunk"/> bytes, checking pread's short read at the end.</summary>
    public static byte[] ReadAll(RofsVolume volume, in RofsInode file, int chunk = 1000)
    {
        byte[] contents = new byte[file.FileSize];
        ulong offset = 0;
        while (offset < file.FileSize)
        {
            int wanted = (int)Math.Min((ulong)chunk, file.FileSize - offset);
            AssertOk(volume.ReadFile(file, offset, contents.AsSpan((int)offset, wanted), out int read));
            Assert.Equal(wanted, read);
            offset += (ulong)read;
        }
        AssertOk(volume.ReadFile(file, offset, new byte[16], out int atEnd));
        Assert.Equal(0, atEnd);
        return contents;
    }

    public static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static void AssertNoLeaks() => Assert.Equal(0, TrackingAllocator.LiveBlocks);
}
