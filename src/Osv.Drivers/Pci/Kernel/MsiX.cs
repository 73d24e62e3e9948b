using System;
using System.Threading;
using Osv.Arch.X64.Interrupts;

namespace Osv.Drivers.Pci
{
    /// <summary>
    /// MSI-X (PCI Local Bus 3.0, 6.8.2): the device writes <c>data</c> to <c>address</c> to interrupt.
    /// On x86 the address 0xFEE00000 | apicId &lt;&lt; 12 names the target local APIC (fixed delivery,
    /// physical destination) and the data word is the vector.
    /// </summary>
    public static unsafe class MsiX
    {
        private const int MessageControl = 2;
        private const int TableOffset = 4;
        private const ushort ControlEnable = 1 << 15;
        private const ushort ControlFunctionMask = 1 << 14;
        private const int EntrySize = 16;
        private const uint EntryMasked = 1;

        /// <summary>
        /// Points table entry <paramref name="entry"/> at <paramref name="vector"/> on the CPU with
        /// <paramref name="apicId"/>, unmasks it and enables MSI-X. False when the device has no MSI-X
        /// capability, the entry does not exist or the table's BAR cannot be mapped.
        /// </summary>
        public static bool Enable(PciDevice device, int entry, byte vector, uint apicId)
        {
            Span<byte> config = stackalloc byte[PciConfigLayout.Size];
            PciConfigSpace.ReadSnapshot(device.Address, config);
            int cap = PciCapabilities.Find(config, PciConfigLayout.CapabilityMsiX);
            if (cap == 0)
                return false;
            ushort control = PciConfigSpace.Read16(device.Address, cap + MessageControl);
            int tableSize = (control & 0x7FF) + 1;
            uint table = PciConfigSpace.Read32(device.Address, cap + TableOffset);
            byte* bar = device.MapBar((int)(table & 7));
            if (entry >= tableSize || bar == null)
                return false;
            uint* slot = (uint*)(bar + (table & ~7u) + entry * EntrySize);
            // Function-masked and enabled while the entry is written, so nothing fires half-programmed.
            PciConfigSpace.Write16(device.Address, cap + MessageControl, (ushort)(control | ControlEnable | ControlFunctionMask));
            Volatile.Write(ref slot[3], EntryMasked);
            Volatile.Write(ref slot[0], (uint)LocalApic.DefaultBase | (apicId << 12));
            Volatile.Write(ref slot[1], 0);
            Volatile.Write(ref slot[2], vector);
            Volatile.Write(ref slot[3], 0);
            PciConfigSpace.Write16(device.Address, cap + MessageControl, (ushort)((control | ControlEnable) & ~ControlFunctionMask));
            return true;
        }
    }
}
