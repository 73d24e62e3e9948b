using System;
using Osv.Vfs.Rofs;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Devfs;

/// <summary>Makes /dev: the memory devices, the console, and block devices as drivers register them.</summary>
public static unsafe class DevfsBuilder
{
    /// <summary>devtmpfs reports TMPFS_MAGIC.</summary>
    public const long Magic = 0x01021994;

    public static SyntheticFileSystem Create(in NativeAllocator allocator, IVfsLock fileSystemLock) =>
        new SyntheticFileSystem("devfs"u8, Magic, allocator, fileSystemLock);

    /// <summary>null, zero, full, random, urandom (from <paramref name="randomSource"/>) and, if given, console.</summary>
    public static long AddStandardDevices(SyntheticFileSystem devfs, delegate*<Span<byte>, void> randomSource, IConsoleDevice? console)
    {
        SyntheticDirectory root = devfs.RootDirectory;
        long status = devfs.Add(root, "null"u8, new CharacterDevice(devfs, CharacterDevice.Kind.Null, DeviceNumbers.Null, null));
        if (status == 0)
            status = devfs.Add(root, "zero"u8, new CharacterDevice(devfs, CharacterDevice.Kind.Zero, DeviceNumbers.Zero, null));
        if (status == 0)
            status = devfs.Add(root, "full"u8, new CharacterDevice(devfs, CharacterDevice.Kind.Full, DeviceNumbers.Full, null));
        if (status == 0)
            status = devfs.Add(root, "random"u8, new CharacterDevice(devfs, CharacterDevice.Kind.Random, DeviceNumbers.Random, randomSource));
        if (status == 0)
            status = devfs.Add(root, "urandom"u8, new CharacterDevice(devfs, CharacterDevice.Kind.Random, DeviceNumbers.Urandom, randomSource));
        if (status == 0 && console is not null)
            status = devfs.Add(root, "console"u8, new ConsoleDevice(devfs, console));
        return status;
    }

    /// <summary>Registers a block device as /dev/<paramref name="name"/> (e.g. "vblk0.1"); -EEXIST for a taken name.</summary>
    public static long AddBlockDevice(SyntheticFileSystem devfs, ReadOnlySpan<byte> name, IBlockDevice device, ulong deviceNumber) =>
        devfs.Add(devfs.RootDirectory, name, new BlockDeviceNode(devfs, device, deviceNumber));
}
