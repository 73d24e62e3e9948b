using System.Runtime.InteropServices;

namespace Osv.Arch.X64
{
    /// <summary>
    /// The block %fs points at (x86-64 TLS variant II): the static TLS image just below it, a self
    /// pointer at %fs:0 and the stack-protector canary at %fs:0x28 — what ILC's thread statics,
    /// glibc-built applications and musl all read. Above the thread pointer lies musl's
    /// <c>struct pthread</c> (musl 1.2.3, 0xc8 bytes), zeroed except for the self pointer, the canary
    /// and the locale pointer at 0xa8, which points at an all-null locale right after it: musl's C
    /// locale (strerror, MB_CUR_MAX and the multibyte functions read it). errno lives at 0x34. Two
    /// zero words follow, which application threads' blocks use (src/Osv.Kernel/Libc/Threads/ThreadBlocks.cs).
    /// </summary>
    public static unsafe class ThreadControlBlock
    {
        private const int CanaryOffset = 0x28;
        private const int MuslLocaleOffset = 0xa8;
        private const int MuslThreadSize = 0xc8;
        private const int MuslLocaleSize = 6 * 8; // struct __locale_struct: one map pointer per category
        private const int LibcWordsSize = 2 * 8; // the C library's words after the locale (pthread descriptor, allocation): zero on CPU blocks
        private const int ReservedAboveThreadPointer = MuslThreadSize + MuslLocaleSize + LibcWordsSize;
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
            if (threadPointer + ReservedAboveThreadPointer > (ulong)area + (ulong)areaSize)
                return false;

            byte* block = (byte*)(threadPointer - blockSize);
            byte* image = (byte*)BootImage.TlsDataStart;
            for (ulong i = 0; i < blockSize; i++)
                block[i] = i < initializedSize ? image[i] : (byte)0;

            for (ulong i = 0; i < ReservedAboveThreadPointer; i++)
                ((byte*)threadPointer)[i] = 0;
            *(ulong*)threadPointer = threadPointer;
            *(ulong*)(threadPointer + CanaryOffset) = canary;
            *(ulong*)(threadPointer + MuslLocaleOffset) = threadPointer + MuslThreadSize;
            Cpu.WriteMsr(Cpu.MsrFsBase, threadPointer);
            return true;
        }
    }
}
