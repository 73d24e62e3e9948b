using System.Runtime.InteropServices;
using Osv.Arch.X64;

namespace Osv.Kernel.Libc.Threads
{
    /// <summary>
    /// The %fs block of an application thread (x86-64 TLS variant II), built on the kernel heap:
    /// <code>
    ///   [application executable's TLS room][kernel TLS image] TP [musl struct pthread][musl C locale][libc area]
    /// </code>
    /// <list type="bullet">
    /// <item>below the thread pointer, the kernel's own TLS image (ILC's thread statics, at the offsets
    /// the kernel was linked with), and below that room for the application executable's TLS block, of a
    /// size and alignment the caller gives (the loader: PT_TLS of the executable);</item>
    /// <item>%fs:0 the self pointer, %fs:0x28 the stack-protector canary (copied from the running
    /// thread's block: every block of the image carries the same canary);</item>
    /// <item>above it musl's <c>struct pthread</c> (0xc8 bytes, zero but for the self pointer, the
    /// canary, errno at 0x34 and the locale pointer at 0xa8 pointing at the all-null C locale after
    /// it), laid out as <see cref="ThreadControlBlock"/> lays out the CPUs' blocks;</item>
    /// <item>then the C library's own words: the pthread descriptor of the thread and the raw
    /// allocation (to free the block).</item>
    /// </list>
    /// Application executables with local-exec TLS (%fs:-N fixed at link time) expect their block
    /// right below the thread pointer, where the kernel's own TLS sits: see docs/architecture.md, "C
    /// library in C#", for what the loader must still decide.
    /// </summary>
    internal static unsafe class ThreadBlocks
    {
        public const int CanaryOffset = 0x28;
        public const int ErrnoOffset = 0x34;
        private const int MuslLocaleOffset = 0xa8;
        private const int MuslThreadSize = 0xc8;
        private const int MuslLocaleSize = 6 * 8;
        private const int DescriptorOffset = MuslThreadSize + MuslLocaleSize; // 0xf8
        private const int AllocationOffset = DescriptorOffset + 8;
        private const int AboveThreadPointer = AllocationOffset + 8;
        private const ulong MinimumAlignment = 64;

        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_tls_align();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_thread_pointer();

        /// <summary>The running thread's thread pointer (%fs:0).</summary>
        public static ulong Current => osv_thread_pointer();

        /// <summary>The bytes below the thread pointer the kernel's own TLS image takes (its link-time block).</summary>
        public static ulong KernelTlsBlockSize
        {
            get
            {
                ulong alignment = KernelTlsAlignment;
                ulong imageSize = BootImage.TlsZeroEnd - BootImage.TlsDataStart;
                return (imageSize + alignment - 1) & ~(alignment - 1);
            }
        }

        private static ulong KernelTlsAlignment
        {
            get
            {
                ulong alignment = osv_tls_align();
                return alignment == 0 ? 1 : alignment;
            }
        }

        /// <summary>
        /// Builds a block with <paramref name="applicationTlsSize"/> bytes of room (aligned to
        /// <paramref name="applicationTlsAlignment"/>, a power of two or 0) for the executable's TLS,
        /// zeroed; returns its thread pointer, or 0 when memory runs out or the alignment is not a power of two.
        /// </summary>
        public static ulong Create(ulong applicationTlsSize, ulong applicationTlsAlignment)
        {
            if (applicationTlsAlignment == 0)
                applicationTlsAlignment = 1;
            if ((applicationTlsAlignment & (applicationTlsAlignment - 1)) != 0 || applicationTlsAlignment > 4096 || applicationTlsSize > (1UL << 30))
                return 0;
            ulong alignment = MinimumAlignment;
            if (applicationTlsAlignment > alignment)
                alignment = applicationTlsAlignment;
            if (KernelTlsAlignment > alignment)
                alignment = KernelTlsAlignment;
            ulong kernelBlock = KernelTlsBlockSize;
            ulong applicationRoom = (applicationTlsSize + applicationTlsAlignment - 1) & ~(applicationTlsAlignment - 1);
            ulong below = (kernelBlock + applicationRoom + alignment - 1) & ~(alignment - 1);
            ulong total = below + AboveThreadPointer + alignment;
            byte* raw = (byte*)KernelMemory.AllocateZeroed((nuint)total);
            if (raw == null)
                return 0;
            ulong threadPointer = ((ulong)raw + below + alignment - 1) & ~(alignment - 1);

            byte* kernelTls = (byte*)(threadPointer - kernelBlock);
            byte* image = (byte*)BootImage.TlsDataStart;
            ulong initialized = BootImage.TlsDataEnd - BootImage.TlsDataStart;
            for (ulong i = 0; i < initialized; i++)
                kernelTls[i] = image[i]; // .tbss and the application's room stay zero

            *(ulong*)threadPointer = threadPointer;
            *(ulong*)(threadPointer + CanaryOffset) = *(ulong*)(Current + CanaryOffset);
            *(ulong*)(threadPointer + MuslLocaleOffset) = threadPointer + MuslThreadSize;
            *(ulong*)(threadPointer + AllocationOffset) = (ulong)raw;
            return threadPointer;
        }

        /// <summary>The address of the application executable's TLS room in a block <see cref="Create"/> built.</summary>
        public static ulong ApplicationTlsStart(ulong threadPointer, ulong applicationTlsSize, ulong applicationTlsAlignment)
        {
            if (applicationTlsAlignment == 0)
                applicationTlsAlignment = 1;
            ulong applicationRoom = (applicationTlsSize + applicationTlsAlignment - 1) & ~(applicationTlsAlignment - 1);
            return threadPointer - KernelTlsBlockSize - applicationRoom;
        }

        /// <summary>Frees a block <see cref="Create"/> built (no thread may run on it any more). 0 is a no-op.</summary>
        public static void Free(ulong threadPointer)
        {
            if (threadPointer == 0)
                return;
            KernelMemory.Free((void*)*(ulong*)(threadPointer + AllocationOffset));
        }

        /// <summary>True when the running thread runs on a block <see cref="Create"/> built (not a CPU's shared block).</summary>
        public static bool IsApplicationBlock(ulong threadPointer) => *(ulong*)(threadPointer + AllocationOffset) != 0;

        /// <summary>The pthread descriptor slot of a block (0 on the CPUs' shared blocks).</summary>
        public static void** DescriptorSlot(ulong threadPointer) => (void**)(threadPointer + DescriptorOffset);

        /// <summary>The errno slot of a block: the field musl's code writes (struct pthread's errno_val).</summary>
        public static int* ErrnoSlot(ulong threadPointer) => (int*)(threadPointer + ErrnoOffset);
    }
}
