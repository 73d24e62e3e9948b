using Osv.Arch.X64;
using Osv.Drivers.Pci;

namespace Osv.Drivers.Virtio
{
    /// <summary>
    /// The legacy (virtio 0.9.5) PCI interface: registers in I/O BAR 0, one page-frame number per queue
    /// with the used ring 4096-aligned, 32 feature bits, device configuration after the MSI-X vector
    /// registers (which exist only while MSI-X is enabled: enable it before creating this).
    /// </summary>
    public sealed class VirtioLegacyTransport : VirtioTransport
    {
        private const int HostFeatures = 0x00;
        private const int GuestFeatures = 0x04;
        private const int QueuePfn = 0x08;
        private const int QueueSizeRegister = 0x0C;
        private const int QueueSelect = 0x0E;
        private const int QueueNotify = 0x10;
        private const int DeviceStatus = 0x12;
        private const int ConfigVector = 0x14;
        private const int QueueVector = 0x16;
        private const int DeviceConfigWithMsiX = 0x18;

        private readonly ushort _base;

        private VirtioLegacyTransport(ushort ioBase) { _base = ioBase; }

        public static VirtioLegacyTransport? TryCreate(PciDevice pci)
        {
            PciBar bar = pci.Bar(0);
            if (!bar.IsIo || bar.Size < DeviceConfigWithMsiX)
                return null;
            return new VirtioLegacyTransport((ushort)bar.Address);
        }

        public override bool IsLegacy => true;

        private ushort Port(int register) => (ushort)(_base + register);

        public override byte Status
        {
            get => Cpu.In8(Port(DeviceStatus));
            set => Cpu.Out8(Port(DeviceStatus), value);
        }

        public override ulong DeviceFeatures => Cpu.In32(Port(HostFeatures));

        /// <summary>Legacy devices have no FEATURES_OK handshake: what is written is accepted.</summary>
        public override bool NegotiateFeatures(ulong features)
        {
            Cpu.Out32(Port(GuestFeatures), (uint)features);
            return true;
        }

        public override ushort MaxQueueSize(ushort queue)
        {
            Cpu.Out16(Port(QueueSelect), queue);
            return Cpu.In16(Port(QueueSizeRegister));
        }

        public override bool SetUpQueue(ushort queue, SplitVirtqueueLayout layout, ulong memory, ushort msixEntry)
        {
            Cpu.Out16(Port(ConfigVector), VirtioConstants.NoVector);
            Cpu.Out16(Port(QueueSelect), queue);
            // The size is the device's (read-only here); the memory must be page-aligned and below 16 TiB.
            if (Cpu.In16(Port(QueueSizeRegister)) != layout.Size || (memory & 4095) != 0 || (memory >> 12) > uint.MaxValue)
                return false;
            Cpu.Out16(Port(QueueVector), msixEntry);
            if (Cpu.In16(Port(QueueVector)) != msixEntry)
                return false;
            Cpu.Out32(Port(QueuePfn), (uint)(memory >> 12));
            return true;
        }

        public override void Notify(ushort queue) => Cpu.Out16(Port(QueueNotify), queue);

        public override byte ReadConfig8(int offset) => Cpu.In8(Port(DeviceConfigWithMsiX + offset));
        public override uint ReadConfig32(int offset) => Cpu.In32(Port(DeviceConfigWithMsiX + offset));
    }
}
