using System.Threading;

namespace Osv.Arch.X64.Interrupts
{
    /// <summary>
    /// Hands out device interrupt vectors (MSI/MSI-X) from 0x30-0xEF, which nothing else uses: 0x20 is
    /// the APIC timer, 0xF1/0xF2 the IPIs, 0xFF the spurious vector. Vectors are never given back
    /// (devices live as long as the kernel). Lock-free: any CPU may allocate.
    /// </summary>
    public static class InterruptVectors
    {
        public const byte FirstDevice = 0x30;
        public const byte LastDevice = 0xEF;

        private static int s_next = FirstDevice;

        /// <summary>A fresh vector, or 0 when all are taken.</summary>
        public static byte Allocate()
        {
            int vector = Interlocked.Increment(ref s_next) - 1;
            return vector <= LastDevice ? (byte)vector : (byte)0;
        }
    }
}
