using System;

namespace Osv.Vfs.Partitions;

/// <summary>
/// OSv's device names: a virtio-blk disk is <c>/dev/vblk0</c>, its partitions <c>/dev/vblk0.1</c>,
/// <c>/dev/vblk0.2</c>, ... (the partition's 1-based table slot). Written into the caller's
/// span, without allocating.
/// </summary>
public static class PartitionDeviceName
{
    public const string VirtioBlockPrefix = "/dev/vblk";

    /// <summary><c>/dev/vblk{disk}.{partition}</c>; returns the length written, or -1 if it does not fit or an index is negative.</summary>
    public static int FormatVirtioBlock(Span<char> destination, int diskIndex, int partitionIndex)
    {
        int length = FormatVirtioBlockDisk(destination, diskIndex);
        if (length < 0)
            return -1;
        int suffix = FormatPartitionSuffix(destination.Slice(length), partitionIndex);
        return suffix < 0 ? -1 : length + suffix;
    }

    /// <summary><c>/dev/vblk{disk}</c>; returns the length written, or -1.</summary>
    public static int FormatVirtioBlockDisk(Span<char> destination, int diskIndex)
    {
        ReadOnlySpan<char> prefix = VirtioBlockPrefix;
        if (diskIndex < 0 || destination.Length < prefix.Length)
            return -1;
        prefix.CopyTo(destination);
        int digits = FormatDecimal(destination.Slice(prefix.Length), diskIndex);
        return digits < 0 ? -1 : prefix.Length + digits;
    }

    /// <summary><paramref name="diskDevice"/> then <c>.{partition}</c>, for disks of other drivers; returns the length or -1.</summary>
    public static int Format(Span<char> destination, ReadOnlySpan<char> diskDevice, int partitionIndex)
    {
        if (destination.Length < diskDevice.Length)
            return -1;
        diskDevice.CopyTo(destination);
        int suffix = FormatPartitionSuffix(destination.Slice(diskDevice.Length), partitionIndex);
        return suffix < 0 ? -1 : diskDevice.Length + suffix;
    }

    private static int FormatPartitionSuffix(Span<char> destination, int partitionIndex)
    {
        if (partitionIndex < 1 || destination.Length < 1)
            return -1;
        destination[0] = '.';
        int digits = FormatDecimal(destination.Slice(1), partitionIndex);
        return digits < 0 ? -1 : 1 + digits;
    }

    private static int FormatDecimal(Span<char> destination, int value)
    {
        int digits = 1;
        for (int rest = value / 10; rest != 0; rest /= 10)
            digits++;
        if (destination.Length < digits)
            return -1;
        for (int i = digits - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
        return digits;
    }
}
