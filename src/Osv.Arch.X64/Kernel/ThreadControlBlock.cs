using System.Runtime.InteropServices;

namespace Osv.Arch.X64
{
    /// <summary>
    /// The block %fs points at (x86-64 TLS variant II): the static TLS image just below it, a self
    /// pointer at %fs:0 and the stack-protector canary at %fs:0x28 — what ILC's thread statics,
    /// glibc-built applications and musl all read.
    /// </summary>
    public static unsafe class ThreadControlBlock
    {
        private const int CanaryOffset = 0x28;
        private const int BlockSize = 4096;

        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_cpu0_tls_address();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_tls_align();

        /// <summary>Sets up the boot CPU's block in its static area. False if the TLS image does not fit.</summary>
        public static bool InitializeBootCpu(ulong canary) => InitializeThisCpu(osv_cpu0_tls_address(), BlockSize, canary);

        /// <summary>Builds a thread control block in <paramref name="area"/> and points this CPU's %fs at it.</summary>
        public static bool InitializeThisCpu(byte* area, int areaSize, ulong canary)
        {
            ulong alignment = osv_tls_align();
            if (alignment == 0)
                alignment = 1;
            ulong imageSize = BootImage.TlsZeroEnd - BootImage.TlsDataStart;
            ulong initializedSize = BootImage.TlsDataEnd - BootImage.TlsDataStart;
            // The linker places TLS at -(size rounded up to the segment alignment) from the thread pointer.
            ulong blockSize = (imageSize + alignment - 1) & ~(alignment - 1);

            ulong threadPointer = ((ulong)area + blockSize + 63) & ~63UL;
            if (threadPointer + 64 > (ulong)area + (ulong)areaSize)
                return false;

            byte* block = (byte*)(threadPointer - blockSize);
            byte* image = (byte*)BootImage.TlsDataStart;
            for (ulong i = 0; i < blockSize; i++)
                block[i] = i < initializedSize ? image[i] : (byte)0;

            *(ulong*)threadPointer = threadPointer;
            *(ulong*)(threadPointer + CanaryOffset) = canary;
            Cpu.WriteMsr(Cpu.MsrFsBase, threadPointer);
            return true;
        }
    }
}
