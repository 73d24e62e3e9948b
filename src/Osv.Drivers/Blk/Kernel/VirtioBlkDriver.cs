using System;
using Osv.Arch.X64.Interrupts;
using Osv.Core.Console;
using Osv.Core.Memory;
using Osv.Drivers.Pci;
using Osv.Drivers.Virtio;

namespace Osv.Drivers.Blk
{
    /// <summary>
    /// Finds virtio-blk PCI functions (modern 0x1042, transitional 0x1001), brings each up (modern
    /// transport when the device offers it, else legacy; MSI-X either way) and registers it as
    /// vblk0, vblk1, ... in discovery order.
    /// </summary>
    public static unsafe class VirtioBlkDriver
    {
        private const int MaxDisks = 16;
        private const ushort LargestQueue = 256; // a modern device may be given less than it offers

        private static PciAddress[]? s_found;
        private static int s_foundCount;

        /// <summary>Probes every virtio-blk device; returns how many were registered. Runs once, at boot, on a kernel thread.</summary>
        public static int Discover(PageSource pages)
        {
            s_found = new PciAddress[MaxDisks];
            s_foundCount = 0;
            PciBus.Enumerate(&Collect);
            int registered = 0;
            for (int i = 0; i < s_foundCount; i++)
            {
                VirtioBlockDevice? disk = Start(s_found[i], DiskName(registered), pages);
                if (disk != null && BlockDeviceRegistry.Add(disk))
                    registered++;
            }
            Osv.Runtime.ObjectMemory.Free(s_found);
            s_found = null;
            return registered;
        }

        private static void Collect(PciAddress address)
        {
            ushort vendor = PciConfigSpace.Read16(address, PciConfigLayout.VendorId);
            ushort device = PciConfigSpace.Read16(address, PciConfigLayout.DeviceId);
            if (VirtioConstants.DeviceType(vendor, device) == VirtioConstants.DeviceTypeBlock && s_foundCount < MaxDisks)
                s_found![s_foundCount++] = address;
        }

        private static VirtioBlockDevice? Start(PciAddress address, string name, PageSource pages)
        {
            var pci = new PciDevice(address);
            pci.EnableDeviceAccess();
            Span<byte> config = stackalloc byte[PciConfigLayout.Size];
            PciConfigSpace.ReadSnapshot(address, config);
            byte vector = InterruptVectors.Allocate();
            if (vector == 0 || !MsiX.Enable(pci, 0, vector, LocalApic.CurrentApicId))
                return Fail(name, "no MSI-X (or no free interrupt vector)");
            VirtioTransport? transport = VirtioModernTransport.TryCreate(pci, VirtioPciCapabilities.Parse(config));
            transport ??= VirtioLegacyTransport.TryCreate(pci);
            if (transport == null)
                return Fail(name, "neither the modern nor the legacy virtio interface is usable");
            if (!transport.Reset())
                return Fail(name, "the device did not reset");
            transport.AddStatus(VirtioConstants.StatusAcknowledge);
            transport.AddStatus(VirtioConstants.StatusDriver);
            ulong offered = transport.DeviceFeatures;
            ulong readOnlyBit = 1UL << VirtioBlkConfig.FeatureReadOnly;
            if (!transport.NegotiateFeatures(offered & readOnlyBit))
                return Fail(name, "the device refused the features");

            ushort size = transport.MaxQueueSize(0);
            if (!transport.IsLegacy && size > LargestQueue)
                size = LargestQueue;
            if (!SplitVirtqueueLayout.IsValidSize(size) || size < VirtioBlockDevice.MinimumQueueSize)
                return Fail(name, "unusable queue size");
            var layout = new SplitVirtqueueLayout(size, transport.IsLegacy);
            nuint queuePages = (layout.TotalBytes + 4095) / 4096;
            byte* memory = (byte*)pages.Allocate(queuePages + 1); // + one page of request slots
            if (memory == null)
                return Fail(name, "out of memory for the queue");
            RawMemory.Zero(memory, (queuePages + 1) * 4096);
            if (!transport.SetUpQueue(0, layout, (ulong)memory, 0))
            {
                pages.Free(memory, queuePages + 1);
                return Fail(name, "the device rejected the queue or its MSI-X vector");
            }
            var queue = new SplitVirtqueue(memory, layout);
            ulong sectors = transport.ReadConfig64(VirtioBlkConfig.Capacity);
            var disk = new VirtioBlockDevice(name, sectors, (offered & readOnlyBit) != 0, transport, queue, memory + queuePages * 4096);
            if (!disk.Attach(vector))
                return Fail(name, "cannot route the interrupt vector");
            transport.AddStatus(VirtioConstants.StatusDriverOk);
            return disk;
        }

        private static VirtioBlockDevice? Fail(string name, string problem)
        {
            KernelConsole.Write("virtio-blk ");
            KernelConsole.Write(name);
            KernelConsole.Write(": ");
            KernelConsole.WriteLine(problem);
            return null;
        }

        /// <summary>"vblk" and the index in decimal.</summary>
        private static string DiskName(int index)
        {
            Span<char> text = stackalloc char[16];
            "vblk".AsSpan().CopyTo(text);
            int length = 4;
            int digits = index < 10 ? 1 : 2;
            for (int i = digits - 1; i >= 0; i--)
            {
                text[length + i] = (char)('0' + index % 10);
                index /= 10;
            }
            return new string(text.Slice(0, length + digits));
        }
    }
}
