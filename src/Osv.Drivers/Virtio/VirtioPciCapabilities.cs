using System;
using Osv.Drivers.Pci;

namespace Osv.Drivers.Virtio
{
    /// <summary>
    /// The modern virtio-pci layout (virtio 1.1, 4.1.4): vendor-specific capabilities naming where the
    /// common configuration, notification area, ISR status and device configuration sit in the BARs.
    /// Per the spec the first capability of each type the driver understands wins.
    /// </summary>
    public struct VirtioPciCapabilities
    {
        public const byte TypeCommon = 1;
        public const byte TypeNotify = 2;
        public const byte TypeIsr = 3;
        public const byte TypeDevice = 4;

        // Offsets inside struct virtio_pci_cap (after the generic id/next bytes).
        private const int CapLength = 2;
        private const int CfgType = 3;
        private const int BarIndex = 4;
        private const int RegionOffset = 8;
        private const int RegionLength = 12;
        private const int NotifyMultiplier = 16;

        public VirtioPciRegion Common;
        public VirtioPciRegion Notify;
        public VirtioPciRegion Isr;
        public VirtioPciRegion Device;
        public uint NotifyOffsetMultiplier;

        /// <summary>A modern device names at least its common configuration and notification area.</summary>
        public bool IsModern => Common.IsPresent && Notify.IsPresent;

        public static VirtioPciCapabilities Parse(ReadOnlySpan<byte> config)
        {
            VirtioPciCapabilities found = default;
            for (int cap = PciCapabilities.Find(config, PciConfigLayout.CapabilityVendorSpecific); cap != 0;
                 cap = PciCapabilities.FindNext(config, PciConfigLayout.CapabilityVendorSpecific, cap))
            {
                if (cap + 16 > config.Length || config[cap + CapLength] < 16)
                    continue;
                byte bar = config[cap + BarIndex];
                if (bar > 5)
                    continue;
                var region = new VirtioPciRegion(bar, ReadUInt32(config, cap + RegionOffset), ReadUInt32(config, cap + RegionLength));
                switch (config[cap + CfgType])
                {
                    case TypeCommon:
                        if (!found.Common.IsPresent)
                            found.Common = region;
                        break;
                    case TypeNotify:
                        if (!found.Notify.IsPresent && config[cap + CapLength] >= 20 && cap + 20 <= config.Length)
                        {
                            found.Notify = region;
                            found.NotifyOffsetMultiplier = ReadUInt32(config, cap + NotifyMultiplier);
                        }
                        break;
                    case TypeIsr:
                        if (!found.Isr.IsPresent)
                            found.Isr = region;
                        break;
                    case TypeDevice:
                        if (!found.Device.IsPresent)
                            found.Device = region;
                        break;
                }
            }
            return found;
        }

        private static uint ReadUInt32(ReadOnlySpan<byte> bytes, int offset)
            => (uint)(bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16 | bytes[offset + 3] << 24);
    }
}
