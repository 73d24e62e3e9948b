using System;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Osv.Vfs.Tests.Support;
using Xunit;
using static Osv.Vfs.Tests.Rofs.RofsTestKit;

namespace Osv.Vfs.Tests.Rofs;

/// <summary>File reads go through 4 KiB read-around windows, replaced least recently used first.</summary>
public sealed class RofsReadCacheTests : LeakCheckedTest
{
    private const int Window = 4096;

    /// <summary>One file of <paramref name="size"/> bytes at block 1 (device offset 512), so windows straddle it predictably.</summary>
    private static (MemoryBlockDevice Device, byte[] Contents) Image(int size)
    {
        byte[] contents = Bytes(size, seed: size);
        return (new MemoryBlockDevice(RofsImageWriter.Build(new RofsSourceTree().AddFile("/f", contents))), contents);
    }

    [Fact]
    public void SmallSequentialReadsHitTheWindowTheFirstOneLoaded()
    {
        (MemoryBlockDevice device, byte[] contents) = Image(3000); // device bytes 512..3511: one window
        using RofsVolume volume = Mount(device);
        RofsInode file = Resolve(volume, "/f");
        int readsBefore = device.Reads;
        byte[] chunk = new byte[100];
        for (int offset = 0; offset < 3000; offset += 100)
        {
            AssertOk(volume.ReadFile(file, (ulong)offset, chunk, out int read));
            Assert.Equal(contents.AsSpan(offset, read).ToArray(), chunk.AsSpan(0, read).ToArray());
        }
        Assert.Equal(1UL, volume.CacheMisses);
        Assert.Equal(29UL, volume.CacheHits);
        Assert.Equal(1, device.Reads - readsBefore);
    }

    [Fact]
    public void AReadSpanningWindowsCountsEachWindow()
    {
        (MemoryBlockDevice device, byte[] contents) = Image(3 * Window);
        using RofsVolume volume = Mount(device);
        byte[] all = ReadAll(volume, Resolve(volume, "/f"), chunk: 3 * Window);
        Assert.Equal(Hash(contents), Hash(all));
        Assert.Equal(4UL, volume.CacheMisses); // bytes 512 .. 512+12288 touch windows 0..3
        Assert.Equal(0UL, volume.CacheHits);
    }

    [Fact]
    public void TheLeastRecentlyUsedWindowIsReplaced()
    {
        (MemoryBlockDevice device, _) = Image(4 * Window);
        using RofsVolume volume = Mount(device, cacheWindows: 2);
        RofsInode file = Resolve(volume, "/f");
        byte[] one = new byte[1];
        // File offset w*4096 lies in device window w (the file starts 512 bytes into window 0).
        void Touch(int window) => AssertOk(volume.ReadFile(file, (ulong)(window * Window), one, out _));

        Touch(0); Touch(1); Touch(0); // misses: 0, 1
        Touch(2);                     // evicts 1, the least recently used
        Touch(0);                     // still there
        Assert.Equal(3UL, volume.CacheMisses);
        Assert.Equal(2UL, volume.CacheHits);
        Touch(1);                     // gone: a miss
        Assert.Equal(4UL, volume.CacheMisses);
    }

    [Fact]
    public void WithoutWindowsEveryReadGoesToTheDevice()
    {
        (MemoryBlockDevice device, byte[] contents) = Image(5000);
        using RofsVolume volume = Mount(device, cacheWindows: 0);
        Assert.Equal(0, volume.CacheWindowCount);
        int readsBefore = device.Reads;
        Assert.Equal(Hash(contents), Hash(ReadAll(volume, Resolve(volume, "/f"), chunk: 1000)));
        Assert.Equal(5, device.Reads - readsBefore);
        Assert.Equal(5UL, volume.CacheMisses);
        Assert.Equal(0UL, volume.CacheHits);
    }

    [Fact]
    public void AFailedDeviceReadIsReportedAndNotCached()
    {
        (MemoryBlockDevice device, byte[] contents) = Image(2 * Window);
        using RofsVolume volume = Mount(device);
        RofsInode file = Resolve(volume, "/f");
        device.FailFrom = Window + 1; // window 1 fails
        byte[] buffer = new byte[2 * Window];

        RofsResult result = volume.ReadFile(file, 0, buffer, out int read);
        Assert.Equal(RofsStatus.DeviceReadFailed, result.Status);
        Assert.Equal(RofsStructure.Device, result.Structure);
        Assert.Equal((ulong)Window, result.Offset);
        Assert.Equal(-MemoryBlockDevice.EIO, result.Errno);
        Assert.Equal(0, read);

        device.FailFrom = ulong.MaxValue;
        AssertOk(volume.ReadFile(file, 0, buffer, out read));
        Assert.Equal(2 * Window, read);
        Assert.Equal(Hash(contents), Hash(buffer));
    }
}
