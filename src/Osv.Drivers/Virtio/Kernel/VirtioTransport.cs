namespace Osv.Drivers.Virtio
{
    /// <summary>
    /// What a virtio device driver needs from the PCI transport, modern (memory-mapped structures named
    /// by capabilities) or legacy (one I/O BAR). Device drivers program against this only.
    /// </summary>
    public abstract unsafe class VirtioTransport
    {
        public abstract bool IsLegacy { get; }

        public abstract byte Status { get; set; }

        /// <summary>Writes 0 to the status register and waits (bounded) until the device reads back 0.</summary>
        public bool Reset()
        {
            Status = 0;
            for (int spin = 0; spin < 1000000; spin++)
            {
                if (Status == 0)
                    return true;
                Osv.Arch.X64.Cpu.Pause();
            }
            return false;
        }

        public void AddStatus(byte bits) => Status = (byte)(Status | bits);

        public abstract ulong DeviceFeatures { get; }

        /// <summary>Accepts <paramref name="features"/> (a subset of <see cref="DeviceFeatures"/>); false if the device refuses.</summary>
        public abstract bool NegotiateFeatures(ulong features);

        /// <summary>The size the device offers for <paramref name="queue"/> (0: no such queue).</summary>
        public abstract ushort MaxQueueSize(ushort queue);

        /// <summary>
        /// Hands the device a queue of <paramref name="size"/> entries laid out by
        /// <see cref="SplitVirtqueueLayout"/> at physical <paramref name="memory"/>, interrupting through MSI-X
        /// table entry <paramref name="msixEntry"/>. False when the device rejects the vector or size.
        /// </summary>
        public abstract bool SetUpQueue(ushort queue, SplitVirtqueueLayout layout, ulong memory, ushort msixEntry);

        public abstract void Notify(ushort queue);

        public abstract byte ReadConfig8(int offset);
        public abstract uint ReadConfig32(int offset);

        public ulong ReadConfig64(int offset) => ReadConfig32(offset) | ((ulong)ReadConfig32(offset + 4) << 32);
    }
}
