namespace Osv.Drivers.Blk
{
    /// <summary>virtio-blk device configuration offsets and feature bits (virtio 1.1, 5.2.3-5.2.4).</summary>
    public static class VirtioBlkConfig
    {
        public const int Capacity = 0;   // u64, in 512-byte sectors
        public const int SizeMax = 8;    // u32
        public const int SegMax = 12;    // u32
        public const int BlockSize = 20; // u32

        public const int FeatureSizeMax = 1;
        public const int FeatureSegMax = 2;
        public const int FeatureReadOnly = 5;
        public const int FeatureBlockSize = 6;
        public const int FeatureFlush = 9;
    }
}
