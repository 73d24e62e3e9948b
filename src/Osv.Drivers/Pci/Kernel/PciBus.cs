namespace Osv.Drivers.Pci
{
    /// <summary>
    /// Finds every PCI function: bus 0, then the buses behind PCI-to-PCI bridges (depth-first, each bus
    /// at most once, so a misprogrammed bridge cannot loop).
    /// </summary>
    public static unsafe class PciBus
    {
        /// <summary>Calls <paramref name="visit"/> for each function present, in bus/device/function order per bus.</summary>
        public static int Enumerate(delegate*<PciAddress, void> visit)
        {
            bool* scanned = stackalloc bool[256];
            for (int i = 0; i < 256; i++)
                scanned[i] = false;
            return ScanBus(0, visit, scanned);
        }

        private static int ScanBus(byte bus, delegate*<PciAddress, void> visit, bool* scanned)
        {
            if (scanned[bus])
                return 0;
            scanned[bus] = true;
            int found = 0;
            for (byte device = 0; device < 32; device++)
            {
                var first = new PciAddress(bus, device, 0);
                if (PciConfigSpace.Read16(first, PciConfigLayout.VendorId) == PciConfigLayout.NoVendor)
                    continue;
                bool multiFunction = (PciConfigSpace.Read8(first, PciConfigLayout.HeaderType) & PciConfigLayout.HeaderTypeMultiFunction) != 0;
                for (byte function = 0; function < (multiFunction ? 8 : 1); function++)
                {
                    var address = new PciAddress(bus, device, function);
                    if (PciConfigSpace.Read16(address, PciConfigLayout.VendorId) == PciConfigLayout.NoVendor)
                        continue;
                    found++;
                    visit(address);
                    byte headerType = (byte)(PciConfigSpace.Read8(address, PciConfigLayout.HeaderType) & PciConfigLayout.HeaderTypeMask);
                    if (headerType == PciConfigLayout.HeaderTypeBridge)
                    {
                        byte secondary = PciConfigSpace.Read8(address, PciConfigLayout.BridgeSecondaryBus);
                        if (secondary > bus)
                            found += ScanBus(secondary, visit, scanned);
                    }
                }
            }
            return found;
        }
    }
}
