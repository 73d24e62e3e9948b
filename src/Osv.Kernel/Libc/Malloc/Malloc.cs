using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Memory;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Malloc
{
    /// <summary>
    /// The malloc family on the kernel heap (<see cref="KernelMemory"/>: size-class slabs and page
    /// runs under one lock, 16-byte alignment as glibc's on x86-64). Failures return NULL with ENOMEM
    /// in errno.
    /// <para>
    /// Alignments above 16: the block is over-allocated, the aligned address inside it gets a 16-byte
    /// header just below it (a check word, magic XOR the address, and the heap block it lives in), and
    /// everything between the heap block's start and that header is zeroed. <c>free</c> first asks the
    /// heap, which recognizes only block starts (an interior pointer is refused without effect: a slab's
    /// slot boundary, or a page-run header whose check word the zeroed gap cannot contain), then looks for
    /// the header. A pointer neither recognizes is reported and ignored (glibc would abort).
    /// </para>
    /// </summary>
    internal static unsafe class Malloc
    {
        private const ulong AlignedMagic = 0x6f73762d616c6967; // "osv-alig"
        private const nuint HeaderSize = 16;
        private const nuint PageSize = 4096;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "malloc")]
        public static void* Allocate(nuint size) => AllocateOrFail(size);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "free")]
        public static void Free(void* block) => Release(block);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "calloc")]
        public static void* AllocateZeroed(nuint count, nuint size)
        {
            if (size != 0 && count > nuint.MaxValue / size)
            {
                ErrnoLocation.Set(LibcErrors.ENOMEM);
                return null;
            }
            void* block = KernelMemory.AllocateZeroed(count * size);
            if (block == null)
                ErrnoLocation.Set(LibcErrors.ENOMEM);
            return block;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "realloc")]
        public static void* Reallocate(void* block, nuint size) => ReallocateOrFail(block, size);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "reallocarray")]
        public static void* ReallocateArray(void* block, nuint count, nuint size)
        {
            if (size != 0 && count > nuint.MaxValue / size)
            {
                ErrnoLocation.Set(LibcErrors.ENOMEM);
                return null;
            }
            return ReallocateOrFail(block, count * size);
        }

        /// <summary>posix_memalign: 0, EINVAL (alignment not a power of two times sizeof(void*)) or ENOMEM; errno untouched.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "posix_memalign")]
        public static int AllocateAlignedPosix(void** result, nuint alignment, nuint size)
        {
            if (alignment < 8 || (alignment & (alignment - 1)) != 0)
                return LibcErrors.EINVAL;
            void* block = AllocateAligned(alignment, size);
            if (block == null)
                return LibcErrors.ENOMEM;
            *result = block;
            return 0;
        }

        /// <summary>aligned_alloc (C11; glibc accepts any power of two and rejects the rest with EINVAL).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "aligned_alloc")]
        public static void* AllocateAlignedC11(nuint alignment, nuint size) => AlignedOrFail(alignment, size);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "memalign")]
        public static void* AllocateAlignedLegacy(nuint alignment, nuint size) => AlignedOrFail(alignment, size);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "valloc")]
        public static void* AllocatePageAligned(nuint size) => AlignedOrFail(PageSize, size);

        /// <summary>pvalloc: page aligned, the size rounded up to whole pages.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pvalloc")]
        public static void* AllocateWholePages(nuint size)
        {
            if (size > nuint.MaxValue - PageSize)
            {
                ErrnoLocation.Set(LibcErrors.ENOMEM);
                return null;
            }
            nuint rounded = (size + PageSize - 1) & ~(PageSize - 1);
            return AlignedOrFail(PageSize, rounded == 0 ? PageSize : rounded);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "malloc_usable_size")]
        public static nuint UsableSize(void* block) => Usable(block);

        // ---- shared by the entry points (and by the rest of the C library: strdup's malloc is this one) ----

        public static void* AllocateOrFail(nuint size)
        {
            void* block = KernelMemory.Allocate(size);
            if (block == null)
                ErrnoLocation.Set(LibcErrors.ENOMEM);
            return block;
        }

        public static void Release(void* block)
        {
            if (block == null)
                return;
            HeapFreeStatus status = KernelMemory.TryFree(block);
            if (status == HeapFreeStatus.Freed)
                return;
            void* heapBlock = AlignedBase(block);
            if (heapBlock != null && KernelMemory.TryFree(heapBlock) == HeapFreeStatus.Freed)
                return;
            Osv.Core.Console.KernelConsole.WriteLine(status == HeapFreeStatus.AlreadyFree
                ? "free(): double free, ignored"
                : "free(): invalid pointer, ignored");
        }

        public static nuint Usable(void* block)
        {
            if (block == null)
                return 0;
            nuint size = KernelMemory.UsableSize(block);
            if (size != 0)
                return size;
            void* heapBlock = AlignedBase(block);
            if (heapBlock == null)
                return 0;
            nuint whole = KernelMemory.UsableSize(heapBlock);
            nuint offset = (nuint)block - (nuint)heapBlock;
            return whole > offset ? whole - offset : 0;
        }

        public static void* ReallocateOrFail(void* block, nuint size)
        {
            if (block == null)
                return AllocateOrFail(size);
            if (size == 0)
            {
                Release(block); // glibc: realloc(p, 0) frees and returns NULL
                return null;
            }
            if (KernelMemory.UsableSize(block) != 0)
            {
                void* moved = KernelMemory.Reallocate(block, size);
                if (moved == null)
                    ErrnoLocation.Set(LibcErrors.ENOMEM);
                return moved;
            }
            nuint old = Usable(block); // an aligned block: it moves to an ordinary one
            if (old == 0)
            {
                Osv.Core.Console.KernelConsole.WriteLine("realloc(): invalid pointer");
                ErrnoLocation.Set(LibcErrors.EINVAL);
                return null;
            }
            void* fresh = AllocateOrFail(size);
            if (fresh == null)
                return null;
            RawMemory.Copy(fresh, block, old < size ? old : size);
            Release(block);
            return fresh;
        }

        private static void* AlignedOrFail(nuint alignment, nuint size)
        {
            if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            {
                ErrnoLocation.Set(LibcErrors.EINVAL);
                return null;
            }
            void* block = AllocateAligned(alignment, size);
            if (block == null)
                ErrnoLocation.Set(LibcErrors.ENOMEM);
            return block;
        }

        /// <summary>A block of <paramref name="size"/> bytes at a multiple of <paramref name="alignment"/> (a power of two); null when memory runs out.</summary>
        private static void* AllocateAligned(nuint alignment, nuint size)
        {
            if (alignment <= KernelHeap.Alignment)
                return KernelMemory.Allocate(size);
            if (size > nuint.MaxValue - alignment - HeaderSize)
                return null;
            byte* heapBlock = (byte*)KernelMemory.Allocate(size + alignment + HeaderSize);
            if (heapBlock == null)
                return null;
            if (((nuint)heapBlock & (alignment - 1)) == 0)
                return heapBlock; // already aligned: an ordinary block (the surplus is usable size)
            byte* aligned = (byte*)(((nuint)heapBlock + HeaderSize + alignment - 1) & ~(alignment - 1));
            RawMemory.Zero(heapBlock, (nuint)(aligned - heapBlock) - HeaderSize);
            ulong* header = (ulong*)(aligned - HeaderSize);
            header[0] = AlignedMagic ^ (ulong)aligned;
            header[1] = (ulong)heapBlock;
            return aligned;
        }

        /// <summary>The heap block behind an aligned block, or null when <paramref name="block"/> has no valid header.</summary>
        private static void* AlignedBase(void* block)
        {
            if (((nuint)block & (KernelHeap.Alignment * 2 - 1)) != 0)
                return null; // aligned blocks are at least 32-byte aligned
            ulong* header = (ulong*)((byte*)block - HeaderSize);
            if (!KernelMemory.IsAllocatedPage(header))
                return null; // not heap memory at all: do not read it
            if (header[0] != (AlignedMagic ^ (ulong)block))
                return null;
            ulong heapBlock = header[1];
            return heapBlock < (ulong)block && (ulong)block - heapBlock < (1UL << 40) ? (void*)heapBlock : null;
        }
    }
}
