namespace Osv.Drivers.Pci
{
    /// <summary>Offsets and bits of the PCI configuration header (PCI Local Bus 3.0, chapter 6).</summary>
    public static class PciConfigLayout
    {
        public const int VendorId = 0x00;
        public const int DeviceId = 0x02;
        public const int Command = 0x04;
        public const int Status = 0x06;
        public const int RevisionId = 0x08;
        public const int ClassCode = 0x09; // prog-if, subclass, class: three bytes
        public const int HeaderType = 0x0E;
        public const int FirstBar = 0x10;
        public const int SubsystemId = 0x2E;
        public const int CapabilitiesPointer = 0x34;
        public const int BridgeSecondaryBus = 0x19; // header type 1

        /// <summary>Legacy configuration space; capabilities live here, extended ones (above) are not walked.</summary>
        public const int Size = 256;

        public const ushort CommandIoSpace = 1 << 0;
        public const ushort CommandMemorySpace = 1 << 1;
        public const ushort CommandBusMaster = 1 << 2;
        public const ushort CommandInterruptDisable = 1 << 10;
        public const ushort StatusCapabilitiesList = 1 << 4;

        public const byte HeaderTypeMask = 0x7F;
        public const byte HeaderTypeMultiFunction = 0x80;
        public const byte HeaderTypeBridge = 1;

        public const ushort NoVendor = 0xFFFF;

        public const byte CapabilityMsiX = 0x11;
        public const byte CapabilityVendorSpecific = 0x09;
    }
}
