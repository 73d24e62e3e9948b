namespace Osv.Drivers.Virtio
{
    /// <summary>Where one virtio structure lives: a window of <see cref="Length"/> bytes at <see cref="Offset"/> in BAR <see cref="Bar"/>.</summary>
    public readonly struct VirtioPciRegion
    {
        public readonly byte Bar;
        public readonly uint Offset;
        public readonly uint Length;

        public VirtioPciRegion(byte bar, uint offset, uint length)
        {
            Bar = bar;
            Offset = offset;
            Length = length;
        }

        public bool IsPresent => Length != 0;
    }
}
