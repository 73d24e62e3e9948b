namespace Osv.Drivers
{
    /// <summary>
    /// Volatile loads and stores of exact widths, for device registers and memory the device shares
    /// (a wider or merged access would be a different register access). The corelib's
    /// <c>Volatile</c> has no 16-bit overloads, so these go through volatile fields.
    /// </summary>
    internal static unsafe class Mmio
    {
        private struct Cell8 { public volatile byte Value; }
        private struct Cell16 { public volatile ushort Value; }
        private struct Cell32 { public volatile uint Value; }

        public static byte Read8(void* address) => ((Cell8*)address)->Value;
        public static ushort Read16(void* address) => ((Cell16*)address)->Value;
        public static uint Read32(void* address) => ((Cell32*)address)->Value;
        public static void Write8(void* address, byte value) => ((Cell8*)address)->Value = value;
        public static void Write16(void* address, ushort value) => ((Cell16*)address)->Value = value;
        public static void Write32(void* address, uint value) => ((Cell32*)address)->Value = value;
    }
}
