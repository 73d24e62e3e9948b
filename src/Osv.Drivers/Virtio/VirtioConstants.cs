namespace Osv.Drivers.Virtio
{
    /// <summary>Device status bits and transport-level feature bits (virtio 1.1, 2.1 and 6).</summary>
    public static class VirtioConstants
    {
        public const ushort VendorId = 0x1AF4;
        public const ushort FirstTransitionalDeviceId = 0x1000;
        public const ushort LastTransitionalDeviceId = 0x103F;
        public const ushort FirstModernDeviceId = 0x1040;

        public const byte StatusAcknowledge = 1;
        public const byte StatusDriver = 2;
        public const byte StatusDriverOk = 4;
        public const byte StatusFeaturesOk = 8;
        public const byte StatusFailed = 128;

        public const int FeatureVersion1 = 32;

        /// <summary>"No MSI-X vector" in the msix_config and queue_msix_vector registers.</summary>
        public const ushort NoVector = 0xFFFF;

        /// <summary>
        /// The virtio device type of a PCI device id (1 = network, 2 = block, ...), or 0 when the id is not a
        /// virtio one: transitional devices use 0x1000 + type - 1 (by the subsystem id in general, but QEMU's
        /// ids match), modern ones 0x1040 + type.
        /// </summary>
        public static int DeviceType(ushort vendor, ushort device)
        {
            if (vendor != VendorId)
                return 0;
            if (device >= FirstModernDeviceId && device <= 0x107F)
                return device - FirstModernDeviceId;
            if (device >= FirstTransitionalDeviceId && device <= LastTransitionalDeviceId)
                return TransitionalType(device);
            return 0;
        }

        public const int DeviceTypeNetwork = 1;
        public const int DeviceTypeBlock = 2;

        private static int TransitionalType(ushort device) => device switch
        {
            0x1000 => DeviceTypeNetwork,
            0x1001 => DeviceTypeBlock,
            0x1002 => 5, // memory balloon
            0x1003 => 3, // console
            0x1004 => 8, // SCSI
            0x1005 => 4, // entropy source
            0x1009 => 9, // 9P transport
            _ => 0,
        };
    }
}
