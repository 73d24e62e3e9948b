using Osv.Arch.X64.Memory;

namespace Osv.Drivers.Pci
{
    /// <summary>One PCI function found by <see cref="PciBus"/>: its ids, BARs (sized once) and the mappings drivers need.</summary>
    public sealed unsafe class PciDevice
    {
        public const int BarCount = 6;

        private readonly PciBar[] _bars = new PciBar[BarCount];

        public PciDevice(PciAddress address)
        {
            Address = address;
            VendorId = PciConfigSpace.Read16(address, PciConfigLayout.VendorId);
            DeviceId = PciConfigSpace.Read16(address, PciConfigLayout.DeviceId);
            ReadBars();
        }

        public PciAddress Address { get; }
        public ushort VendorId { get; }
        public ushort DeviceId { get; }

        public PciBar Bar(int index) => index >= 0 && index < BarCount ? _bars[index] : default;

        /// <summary>Sizes every BAR with address decoding off, so no half-written BAR claims bus addresses meanwhile.</summary>
        private void ReadBars()
        {
            ushort command = PciConfigSpace.Read16(Address, PciConfigLayout.Command);
            PciConfigSpace.Write16(Address, PciConfigLayout.Command, (ushort)(command & ~(PciConfigLayout.CommandIoSpace | PciConfigLayout.CommandMemorySpace)));
            for (int i = 0; i < BarCount; i++)
            {
                int register = PciConfigLayout.FirstBar + 4 * i;
                uint low = PciConfigSpace.Read32(Address, register);
                bool wide = PciBar.TakesTwoRegisters(low) && i + 1 < BarCount;
                uint high = wide ? PciConfigSpace.Read32(Address, register + 4) : 0;
                PciConfigSpace.Write32(Address, register, 0xFFFFFFFF);
                uint sizingLow = PciConfigSpace.Read32(Address, register);
                PciConfigSpace.Write32(Address, register, low);
                uint sizingHigh = 0;
                if (wide)
                {
                    PciConfigSpace.Write32(Address, register + 4, 0xFFFFFFFF);
                    sizingHigh = PciConfigSpace.Read32(Address, register + 4);
                    PciConfigSpace.Write32(Address, register + 4, high);
                }
                _bars[i] = PciBar.Decode(low, high, sizingLow, sizingHigh);
                if (wide)
                    i++; // the high half is not a BAR of its own
            }
            PciConfigSpace.Write16(Address, PciConfigLayout.Command, command);
        }

        /// <summary>Turns on I/O and memory decoding and DMA, and masks the legacy INTx line (interrupts come by MSI-X).</summary>
        public void EnableDeviceAccess()
        {
            ushort command = PciConfigSpace.Read16(Address, PciConfigLayout.Command);
            command |= PciConfigLayout.CommandIoSpace | PciConfigLayout.CommandMemorySpace
                | PciConfigLayout.CommandBusMaster | PciConfigLayout.CommandInterruptDisable;
            PciConfigSpace.Write16(Address, PciConfigLayout.Command, command);
        }

        /// <summary>Maps a memory BAR uncached (identity) and returns its address, or null if it is absent or I/O.</summary>
        public byte* MapBar(int index)
        {
            PciBar bar = Bar(index);
            if (!bar.IsMemory || bar.Address == 0)
                return null;
            ulong end = bar.Address + bar.Size;
            for (ulong page = bar.Address & ~4095UL; page < end; page += 4096)
            {
                if ((KernelPageTables.Translate(page) & PageTableEntry.Present) == 0 && !KernelPageTables.Map4K(page, PageTableEntry.DeviceMemory))
                    return null;
            }
            return (byte*)bar.Address;
        }
    }
}
