using System;
using Osv.Vfs.Rofs;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Devfs;

/// <summary>/dev/vblkN[.P]: reads go to the <see cref="IBlockDevice"/> (short at its end); writing is not supported yet (-EROFS).</summary>
public sealed class BlockDeviceNode : SyntheticNode
{
    private readonly IBlockDevice _device;
    private readonly ulong _deviceNumber;

    internal BlockDeviceNode(SyntheticFileSystem fileSystem, IBlockDevice device, ulong deviceNumber)
        : base(fileSystem, VnodeType.BlockDevice, 0x1B0) // 0660
    {
        _device = device;
        _deviceNumber = deviceNumber;
    }

    public IBlockDevice Device => _device;

    protected override void AddAttributes(ref VnodeAttributes attributes)
    {
        attributes.RepresentedDevice = _deviceNumber;
        attributes.Size = 0; // Linux reports 0 for block devices; BLKGETSIZE64 gives the size
    }

    public override long Read(ulong offset, Span<byte> destination, int flags)
    {
        if (offset >= _device.Size)
            return 0;
        ulong remaining = _device.Size - offset;
        int count = remaining < (ulong)destination.Length ? (int)remaining : destination.Length;
        int status = _device.Read(offset, destination.Slice(0, count));
        return status < 0 ? status : count;
    }

    public override long Write(ulong offset, ReadOnlySpan<byte> source, int flags) => -Errno.EROFS;
}
