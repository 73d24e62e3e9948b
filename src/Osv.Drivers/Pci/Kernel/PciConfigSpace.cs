using System;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Memory;
using Osv.Arch.X64.Smp;

namespace Osv.Drivers.Pci
{
    /// <summary>
    /// Configuration-space access: memory-mapped (ECAM) through ACPI's MCFG windows where the bus is
    /// covered, else the legacy 0xCF8/0xCFC ports (an address write then a data access: a lock keeps
    /// the pair together). ECAM pages are mapped uncached on first use, one 4 KiB page per function.
    /// </summary>
    public static unsafe class PciConfigSpace
    {
        private const ushort AddressPort = 0xCF8;
        private const ushort DataPort = 0xCFC;

        private static McfgTable s_mcfg;
        private static SpinLock s_portLock;

        /// <summary>Uses the MCFG windows from now on (call before enumeration; no windows = ports only).</summary>
        public static void UseEcam(McfgTable mcfg) => s_mcfg = mcfg;

        public static bool UsesEcam => s_mcfg.Count > 0;

        /// <summary>The function's ECAM page, mapped, or null when no window covers its bus.</summary>
        private static byte* EcamPage(PciAddress address)
        {
            ulong page = s_mcfg.ConfigPage(address);
            if (page == 0)
                return null;
            if ((KernelPageTables.Translate(page) & PageTableEntry.Present) == 0 && !KernelPageTables.Map4K(page, PageTableEntry.DeviceMemory))
                return null;
            return (byte*)page;
        }

        public static uint Read32(PciAddress address, int offset)
        {
            byte* page = EcamPage(address);
            if (page != null)
                return Volatile.Read(ref *(uint*)(page + (offset & 0xFFC)));
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_portLock.Lock();
            Cpu.Out32(AddressPort, address.PortAddress(offset));
            uint value = Cpu.In32(DataPort);
            s_portLock.Unlock(wereEnabled);
            return value;
        }

        public static void Write32(PciAddress address, int offset, uint value)
        {
            byte* page = EcamPage(address);
            if (page != null)
            {
                Volatile.Write(ref *(uint*)(page + (offset & 0xFFC)), value);
                return;
            }
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_portLock.Lock();
            Cpu.Out32(AddressPort, address.PortAddress(offset));
            Cpu.Out32(DataPort, value);
            s_portLock.Unlock(wereEnabled);
        }

        public static ushort Read16(PciAddress address, int offset) => (ushort)(Read32(address, offset) >> ((offset & 2) * 8));

        public static byte Read8(PciAddress address, int offset) => (byte)(Read32(address, offset) >> ((offset & 3) * 8));

        /// <summary>A 16-bit write as a read-modify-write of its dword (the other half must be a register that tolerates it).</summary>
        public static void Write16(PciAddress address, int offset, ushort value)
        {
            int shift = (offset & 2) * 8;
            uint dword = Read32(address, offset);
            dword = (dword & ~(0xFFFFu << shift)) | ((uint)value << shift);
            Write32(address, offset, dword);
        }

        /// <summary>Copies the legacy 256 bytes of configuration space, for parsing (capabilities).</summary>
        public static void ReadSnapshot(PciAddress address, Span<byte> destination)
        {
            for (int offset = 0; offset + 4 <= destination.Length && offset < PciConfigLayout.Size; offset += 4)
            {
                uint value = Read32(address, offset);
                destination[offset] = (byte)value;
                destination[offset + 1] = (byte)(value >> 8);
                destination[offset + 2] = (byte)(value >> 16);
                destination[offset + 3] = (byte)(value >> 24);
            }
        }
    }
}
