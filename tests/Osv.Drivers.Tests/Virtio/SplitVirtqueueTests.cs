using System;
using System.Collections.Generic;
using System.Linq;
using Osv.Drivers.Virtio;
using Xunit;

namespace Osv.Drivers.Tests.Virtio;

public sealed unsafe class SplitVirtqueueTests
{
    private static VirtqueueBuffer[] Request(ulong tag, uint dataLength = 4096) => new[]
    {
        new VirtqueueBuffer(tag, 16, deviceWrites: false),
        new VirtqueueBuffer(tag + 0x100, dataLength, deviceWrites: true),
        new VirtqueueBuffer(tag + 0x200, 1, deviceWrites: true),
    };

    [Fact]
    public void AChainReachesTheDeviceWithItsFlagsAndComesBack()
    {
        using var device = new FakeVirtioDevice(8);
        var queue = new SplitVirtqueue(device.Memory, device.Layout);

        int head = queue.Add(Request(0x10000));
        var published = device.TakeAvailable();

        Assert.Equal(5, queue.FreeDescriptors);
        Assert.Equal(1, queue.InFlight);
        var chain = Assert.Single(published);
        Assert.Equal(head, chain.Head);
        Assert.Equal(
            new[] { new FakeVirtioDevice.Element(0x10000, 16, false), new(0x10100, 4096, true), new(0x10200, 1, true) },
            chain.Chain);

        Assert.False(queue.TryTakeUsed(out _, out _));
        device.Complete(chain.Head, 4097);
        Assert.True(queue.TryTakeUsed(out ushort done, out uint written));
        Assert.Equal((head, 4097u), ((int)done, written));
        Assert.Equal(8, queue.FreeDescriptors);
        Assert.Equal(0, queue.InFlight);
        Assert.False(queue.TryTakeUsed(out _, out _));
    }

    [Fact]
    public void AddFailsWithoutSideEffectsWhenDescriptorsRunOut()
    {
        using var device = new FakeVirtioDevice(8);
        var queue = new SplitVirtqueue(device.Memory, device.Layout);

        Assert.True(queue.Add(Request(0x1000)) >= 0);
        Assert.True(queue.Add(Request(0x2000)) >= 0);
        Assert.Equal(-1, queue.Add(Request(0x3000)));
        Assert.Equal(-1, queue.Add(ReadOnlySpan<VirtqueueBuffer>.Empty));

        Assert.Equal(2, queue.FreeDescriptors);
        Assert.Equal(2, device.TakeAvailable().Count);
    }

    [Fact]
    public void OutOfOrderCompletionsFreeTheRightChains()
    {
        using var device = new FakeVirtioDevice(16);
        var queue = new SplitVirtqueue(device.Memory, device.Layout);
        int[] heads = { queue.Add(Request(0x1000)), queue.Add(Request(0x2000)), queue.Add(Request(0x3000)), queue.Add(Request(0x4000)) };
        var published = device.TakeAvailable();

        foreach (int i in new[] { 2, 0, 3 })
            device.Complete(published[i].Head, 1);
        var completed = new List<int>();
        while (queue.TryTakeUsed(out ushort head, out _))
            completed.Add(head);

        Assert.Equal(new[] { heads[2], heads[0], heads[3] }, completed);
        Assert.Equal(13, queue.FreeDescriptors);
        // The freed descriptors make whole new chains again.
        int again = queue.Add(Request(0x5000, 512));
        var chain = Assert.Single(device.TakeAvailable());
        Assert.Equal(again, chain.Head);
        Assert.Equal(new ulong[] { 0x5000, 0x5100, 0x5200 }, chain.Chain.Select(e => e.Address));
    }

    [Fact]
    public void IndicesWrapPastSixtyFiveThousandWithManyInFlight()
    {
        using var device = new FakeVirtioDevice(32, legacy: true);
        var queue = new SplitVirtqueue(device.Memory, device.Layout);
        var random = new Random(7);
        var outstanding = new List<(ushort Head, ulong Tag)>();
        var tagOfHead = new Dictionary<int, ulong>();
        ulong nextTag = 0x1000;
        int completedCount = 0;

        while (completedCount < 70000)
        {
            // Fill with a random number of new requests, complete a random subset in random order.
            for (int n = random.Next(1, 11); n > 0; n--)
            {
                int head = queue.Add(Request(nextTag));
                if (head < 0)
                    break;
                Assert.False(tagOfHead.ContainsKey(head), "a head handed out twice");
                tagOfHead[head] = nextTag;
                nextTag += 0x1000;
            }
            foreach (var chain in device.TakeAvailable())
            {
                Assert.Equal(tagOfHead[chain.Head], chain.Chain[0].Address);
                Assert.Equal(3, chain.Chain.Count);
                outstanding.Add((chain.Head, chain.Chain[0].Address));
            }
            int finish = random.Next(0, outstanding.Count + 1);
            for (int i = 0; i < finish; i++)
            {
                int pick = random.Next(outstanding.Count);
                device.Complete(outstanding[pick].Head, 1);
                outstanding.RemoveAt(pick);
            }
            while (queue.TryTakeUsed(out ushort done, out _))
            {
                Assert.True(tagOfHead.Remove(done));
                completedCount++;
            }
            Assert.Equal(32 - 3 * tagOfHead.Count, queue.FreeDescriptors);
            Assert.Equal(tagOfHead.Count, queue.InFlight);
        }
    }

    [Fact]
    public void AnIdOutsideTheTableIsSkipped()
    {
        using var device = new FakeVirtioDevice(8);
        var queue = new SplitVirtqueue(device.Memory, device.Layout);
        queue.Add(Request(0x1000));
        device.TakeAvailable();

        device.Complete(200, 0);

        Assert.False(queue.TryTakeUsed(out _, out _));
        Assert.Equal(5, queue.FreeDescriptors);
    }
}
