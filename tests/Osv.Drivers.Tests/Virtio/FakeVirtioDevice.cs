using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Osv.Drivers.Virtio;

namespace Osv.Drivers.Tests.Virtio;

/// <summary>
/// The device's side of a split virtqueue, written from the spec independently of the driver code:
/// it reads new driver-ring entries, walks their chains and posts used entries in any order.
/// </summary>
internal sealed unsafe class FakeVirtioDevice : IDisposable
{
    public readonly SplitVirtqueueLayout Layout;
    public readonly byte* Memory;
    private ushort _nextAvailable;
    private ushort _nextUsed;

    public FakeVirtioDevice(ushort size, bool legacy = false)
    {
        Layout = new SplitVirtqueueLayout(size, legacy);
        Memory = (byte*)NativeMemory.AlignedAlloc(Layout.TotalBytes, 4096);
        new Span<byte>(Memory, (int)Layout.TotalBytes).Clear();
    }

    public record struct Element(ulong Address, uint Length, bool DeviceWrites);

    /// <summary>Chains the driver published and the device has not taken yet, as (head, elements).</summary>
    public List<(ushort Head, List<Element> Chain)> TakeAvailable()
    {
        var taken = new List<(ushort, List<Element>)>();
        ushort driverIndex = *(ushort*)(Memory + Layout.AvailableOffset + 2);
        while (_nextAvailable != driverIndex)
        {
            ushort head = *(ushort*)(Memory + Layout.AvailableOffset + 4 + 2 * (_nextAvailable % Layout.Size));
            var chain = new List<Element>();
            ushort index = head;
            while (true)
            {
                byte* d = Memory + 16 * index;
                ushort flags = *(ushort*)(d + 12);
                chain.Add(new Element(*(ulong*)d, *(uint*)(d + 8), (flags & 2) != 0));
                if ((flags & 1) == 0)
                    break;
                index = *(ushort*)(d + 14);
                if (chain.Count > Layout.Size)
                    throw new InvalidOperationException("descriptor loop");
            }
            taken.Add((head, chain));
            _nextAvailable++;
        }
        return taken;
    }

    public void Complete(ushort head, uint writtenLength)
    {
        byte* entry = Memory + Layout.UsedOffset + 4 + 8 * (_nextUsed % Layout.Size);
        *(uint*)entry = head;
        *(uint*)(entry + 4) = writtenLength;
        _nextUsed++;
        *(ushort*)(Memory + Layout.UsedOffset + 2) = _nextUsed;
    }

    public void Dispose() => NativeMemory.AlignedFree(Memory);
}
