namespace Osv.Drivers.Virtio
{
    /// <summary>One physically contiguous piece of a request: device-readable, or device-writable.</summary>
    public readonly struct VirtqueueBuffer
    {
        public readonly ulong PhysicalAddress;
        public readonly uint Length;
        public readonly bool DeviceWrites;

        public VirtqueueBuffer(ulong physicalAddress, uint length, bool deviceWrites)
        {
            PhysicalAddress = physicalAddress;
            Length = length;
            DeviceWrites = deviceWrites;
        }
    }
}
