namespace Osv.Drivers.Pci
{
    /// <summary>A PCI function: bus, device (0-31) and function (0-7) in segment 0.</summary>
    public readonly struct PciAddress
    {
        public readonly byte Bus;
        public readonly byte Device;
        public readonly byte Function;

        public PciAddress(byte bus, byte device, byte function)
        {
            Bus = bus;
            Device = (byte)(device & 31);
            Function = (byte)(function & 7);
        }

        /// <summary>The function's 4 KiB page in an ECAM window whose first bus is <paramref name="startBus"/>.</summary>
        public ulong EcamOffset(byte startBus) => ((ulong)(Bus - startBus) << 20) | ((ulong)Device << 15) | ((ulong)Function << 12);

        /// <summary>The 0xCF8 address word of the legacy configuration mechanism (register offset dword-aligned).</summary>
        public uint PortAddress(int offset) => 0x80000000u | ((uint)Bus << 16) | ((uint)Device << 11) | ((uint)Function << 8) | ((uint)offset & 0xFC);
    }
}
