using System;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Devfs;

/// <summary>The memory devices: null (reads end, writes vanish), zero (reads zeros), full (writes are ENOSPC), random/urandom (bytes from a callback).</summary>
public sealed unsafe class CharacterDevice : SyntheticNode
{
    public enum Kind { Null, Zero, Full, Random }

    private readonly Kind _kind;
    private readonly ulong _deviceNumber;
    private readonly delegate*<Span<byte>, void> _randomSource;

    internal CharacterDevice(SyntheticFileSystem fileSystem, Kind kind, ulong deviceNumber, delegate*<Span<byte>, void> randomSource)
        : base(fileSystem, VnodeType.CharacterDevice, 0x1B6) // 0666
    {
        _kind = kind;
        _deviceNumber = deviceNumber;
        _randomSource = randomSource;
    }

    protected override void AddAttributes(ref VnodeAttributes attributes) => attributes.RepresentedDevice = _deviceNumber;

    public override long Read(ulong offset, Span<byte> destination, int flags)
    {
        switch (_kind)
        {
            case Kind.Null:
                return 0;
            case Kind.Random:
                if (_randomSource == null)
                    return -Errno.EIO;
                _randomSource(destination);
                return destination.Length;
            default:
                destination.Clear();
                return destination.Length;
        }
    }

    public override long Write(ulong offset, ReadOnlySpan<byte> source, int flags) =>
        _kind == Kind.Full ? -Errno.ENOSPC : source.Length;

    public override long Truncate(ulong length) => 0; // "> /dev/null" opens with O_TRUNC
}
