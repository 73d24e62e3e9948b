using System.Runtime.InteropServices;
using Osv.Arch.X64;
using Osv.Core.Elf;

namespace Osv.Kernel.Libc.Threads
{
    /// <summary>
    /// The %fs block of an application thread (x86-64 TLS variant II), built on the kernel heap:
    /// <code>
    ///   [... library n's block][library 1's block][executable's block] TP [musl struct pthread][musl C locale][libc area]
    /// </code>
    /// <list type="bullet">
    /// <item>below the thread pointer, the program's static TLS as the dynamic linker laid it out
    /// (<see cref="DynamicLinker.StaticTlsSize"/>, <see cref="StaticTlsLayout"/>): the executable's block
    /// right below TP (where its local-exec <c>%fs:-N</c> accesses point), the start-up libraries' below
    /// it; each filled from its module's TLS image (.tdata copied, .tbss zeroed). The kernel's own TLS
    /// image (ILC's <c>tls_InlinedThreadStatics</c>, 24 bytes) is not part of it: no kernel code uses
    /// thread statics (no thread-static attribute in src/, no negative %fs offsets in the image; a host test
    /// keeps it so), and kernel threads keep it in their CPU's block;</item>
    /// <item>%fs:0 the self pointer, %fs:0x28 the stack-protector canary (copied from the running
    /// thread's block: every block of the image carries the same canary);</item>
    /// <item>above it musl's <c>struct pthread</c> (0xc8 bytes, zero but for the self pointer, the
    /// canary, errno at 0x34 and the locale pointer at 0xa8 pointing at the all-null C locale after
    /// it), laid out as <see cref="ThreadControlBlock"/> lays out the CPUs' blocks;</item>
    /// <item>then the C library's own words: the pthread descriptor of the thread and the raw
    /// allocation (to free the block).</item>
    /// </list>
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
        private const ulong MinimumAlignment = DynamicLinker.ThreadPointerAlignment;

        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_thread_pointer();

        /// <summary>The running thread's thread pointer (%fs:0).</summary>
        public static ulong Current => osv_thread_pointer();

        /// <summary>
        /// Builds a block with the running program's static TLS below the thread pointer, initialized from
        /// the TLS images; returns its thread pointer, or 0 when memory runs out.
        /// </summary>
        public static ulong Create()
        {
            ulong tlsSize = DynamicLinker.StaticTlsSize + DynamicLinker.StaticTlsSurplus; // room for what dlopen adds
            ulong alignment = DynamicLinker.StaticTlsAlignment;
            if (alignment < MinimumAlignment)
                alignment = MinimumAlignment;
            ulong below = (tlsSize + alignment - 1) & ~(alignment - 1);
            ulong total = below + AboveThreadPointer + alignment;
            byte* raw = (byte*)KernelMemory.AllocateZeroed((nuint)total);
            if (raw == null)
                return 0;
            ulong threadPointer = ((ulong)raw + below + alignment - 1) & ~(alignment - 1);
            DynamicLinker.InitializeStaticTls(threadPointer);

            *(ulong*)threadPointer = threadPointer;
            *(ulong*)(threadPointer + CanaryOffset) = *(ulong*)(Current + CanaryOffset);
            *(ulong*)(threadPointer + MuslLocaleOffset) = threadPointer + MuslThreadSize;
            *(ulong*)(threadPointer + AllocationOffset) = (ulong)raw;
            return threadPointer;
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
