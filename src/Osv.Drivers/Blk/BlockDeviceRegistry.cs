namespace Osv.Drivers.Blk
{
    /// <summary>
    /// Every block device the kernel knows, in discovery order: disks as drivers find them, then the
    /// partitions the composition root adds. Devfs (later) enumerates it. Filled at boot by one thread.
    /// </summary>
    public static class BlockDeviceRegistry
    {
        public const int Capacity = 64;

        private static BlockDevice?[]? s_devices;
        private static int s_count;

        public static int Count => s_count;

        public static BlockDevice? At(int index) => index >= 0 && index < s_count ? s_devices![index] : null;

        /// <summary>False when the registry is full.</summary>
        public static bool Add(BlockDevice device)
        {
            s_devices ??= new BlockDevice?[Capacity];
            if (s_count == Capacity)
                return false;
            s_devices[s_count++] = device;
            return true;
        }

        public static BlockDevice? Find(string name)
        {
            for (int i = 0; i < s_count; i++)
            {
                if (s_devices![i]!.Name == name)
                    return s_devices[i];
            }
            return null;
        }
    }
}
