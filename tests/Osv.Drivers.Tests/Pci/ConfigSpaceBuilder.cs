using System;

namespace Osv.Drivers.Tests.Pci;

/// <summary>A 256-byte configuration space snapshot with a capability list, as a device would present it.</summary>
internal sealed class ConfigSpaceBuilder
{
    private readonly byte[] _bytes = new byte[256];
    private int _lastCapability;

    public ConfigSpaceBuilder(ushort vendor = 0x1AF4, ushort device = 0x1042)
    {
        Write16(0x00, vendor);
        Write16(0x02, device);
    }

    /// <summary>Adds a capability at <paramref name="offset"/> with <paramref name="body"/> after the id and next bytes.</summary>
    public ConfigSpaceBuilder Capability(int offset, byte id, params byte[] body)
    {
        _bytes[0x06] |= 0x10;
        if (_lastCapability == 0)
            _bytes[0x34] = (byte)offset;
        else
            _bytes[_lastCapability + 1] = (byte)offset;
        _bytes[offset] = id;
        _bytes[offset + 1] = 0;
        body.CopyTo(_bytes, offset + 2);
        _lastCapability = offset;
        return this;
    }

    /// <summary>A virtio_pci_cap (16 bytes; 20 with the notify multiplier).</summary>
    public ConfigSpaceBuilder VirtioCapability(int offset, byte type, byte bar, uint regionOffset, uint length, uint? notifyMultiplier = null)
    {
        byte[] body = new byte[notifyMultiplier.HasValue ? 18 : 14];
        body[0] = (byte)(body.Length + 2);
        body[1] = type;
        body[2] = bar;
        BitConverter.GetBytes(regionOffset).CopyTo(body, 6);
        BitConverter.GetBytes(length).CopyTo(body, 10);
        if (notifyMultiplier.HasValue)
            BitConverter.GetBytes(notifyMultiplier.Value).CopyTo(body, 14);
        return Capability(offset, 0x09, body);
    }

    public ConfigSpaceBuilder Write16(int offset, ushort value)
    {
        BitConverter.GetBytes(value).CopyTo(_bytes, offset);
        return this;
    }

    public ConfigSpaceBuilder Poke(int offset, byte value)
    {
        _bytes[offset] = value;
        return this;
    }

    public byte[] Build() => (byte[])_bytes.Clone();
}
