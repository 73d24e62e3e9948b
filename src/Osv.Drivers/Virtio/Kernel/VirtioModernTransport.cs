using Osv.Drivers.Pci;

namespace Osv.Drivers.Virtio
{
    /// <summary>The virtio 1.x PCI transport: common configuration, notification area and device configuration in memory BARs.</summary>
    public sealed unsafe class VirtioModernTransport : VirtioTransport
    {
        // struct virtio_pci_common_cfg (virtio 1.1, 4.1.4.3)
        private const int DeviceFeatureSelect = 0;
        private const int DeviceFeature = 4;
        private const int DriverFeatureSelect = 8;
        private const int DriverFeature = 12;
        private const int MsixConfig = 16;
        private const int DeviceStatus = 20;
        private const int QueueSelect = 22;
        private const int QueueSize = 24;
        private const int QueueMsixVector = 26;
        private const int QueueEnable = 28;
        private const int QueueNotifyOff = 30;
        private const int QueueDesc = 32;
        private const int QueueDriver = 40;
        private const int QueueDevice = 48;

        private readonly byte* _common;
        private readonly byte* _notify;
        private readonly byte* _device;
        private readonly uint _notifyMultiplier;
        private readonly ushort[] _notifyOffsets = new ushort[8];

        private VirtioModernTransport(byte* common, byte* notify, byte* device, uint notifyMultiplier)
        {
            _common = common;
            _notify = notify;
            _device = device;
            _notifyMultiplier = notifyMultiplier;
        }

        /// <summary>The transport of <paramref name="pci"/>, or null when it has no (mappable) modern structures.</summary>
        public static VirtioModernTransport? TryCreate(PciDevice pci, VirtioPciCapabilities caps)
        {
            if (!caps.IsModern || !caps.Device.IsPresent)
                return null;
            byte* common = Region(pci, caps.Common);
            byte* notify = Region(pci, caps.Notify);
            byte* device = Region(pci, caps.Device);
            if (common == null || notify == null || device == null)
                return null;
            return new VirtioModernTransport(common, notify, device, caps.NotifyOffsetMultiplier);
        }

        private static byte* Region(PciDevice pci, VirtioPciRegion region)
        {
            PciBar bar = pci.Bar(region.Bar);
            if (!bar.IsMemory || (ulong)region.Offset + region.Length > bar.Size)
                return null;
            byte* mapped = pci.MapBar(region.Bar);
            return mapped == null ? null : mapped + region.Offset;
        }

        public override bool IsLegacy => false;

        private byte Read8(int offset) => Mmio.Read8(_common + offset);
        private ushort Read16(int offset) => Mmio.Read16(_common + offset);
        private uint Read32(int offset) => Mmio.Read32(_common + offset);
        private void Write8(int offset, byte value) => Mmio.Write8(_common + offset, value);
        private void Write16(int offset, ushort value) => Mmio.Write16(_common + offset, value);
        private void Write32(int offset, uint value) => Mmio.Write32(_common + offset, value);

        private void Write64(int offset, ulong value)
        {
            Write32(offset, (uint)value);
            Write32(offset + 4, (uint)(value >> 32));
        }

        public override byte Status
        {
            get => Read8(DeviceStatus);
            set => Write8(DeviceStatus, value);
        }

        public override ulong DeviceFeatures
        {
            get
            {
                Write32(DeviceFeatureSelect, 0);
                uint low = Read32(DeviceFeature);
                Write32(DeviceFeatureSelect, 1);
                return low | ((ulong)Read32(DeviceFeature) << 32);
            }
        }

        public override bool NegotiateFeatures(ulong features)
        {
            features |= 1UL << VirtioConstants.FeatureVersion1; // a modern driver must accept it
            Write32(DriverFeatureSelect, 0);
            Write32(DriverFeature, (uint)features);
            Write32(DriverFeatureSelect, 1);
            Write32(DriverFeature, (uint)(features >> 32));
            AddStatus(VirtioConstants.StatusFeaturesOk);
            return (Status & VirtioConstants.StatusFeaturesOk) != 0;
        }

        public override ushort MaxQueueSize(ushort queue)
        {
            Write16(QueueSelect, queue);
            return Read16(QueueSize);
        }

        public override bool SetUpQueue(ushort queue, SplitVirtqueueLayout layout, ulong memory, ushort msixEntry)
        {
            if (queue >= _notifyOffsets.Length)
                return false;
            Write16(MsixConfig, VirtioConstants.NoVector); // no configuration-change interrupts
            Write16(QueueSelect, queue);
            Write16(QueueSize, layout.Size);
            Write16(QueueMsixVector, msixEntry);
            if (Read16(QueueMsixVector) != msixEntry)
                return false;
            Write64(QueueDesc, memory);
            Write64(QueueDriver, memory + layout.AvailableOffset);
            Write64(QueueDevice, memory + layout.UsedOffset);
            _notifyOffsets[queue] = Read16(QueueNotifyOff);
            Write16(QueueEnable, 1);
            return true;
        }

        public override void Notify(ushort queue)
            => Mmio.Write16(_notify + (ulong)_notifyOffsets[queue & 7] * _notifyMultiplier, queue);

        public override byte ReadConfig8(int offset) => Mmio.Read8(_device + offset);
        public override uint ReadConfig32(int offset) => Mmio.Read32(_device + offset);
    }
}
