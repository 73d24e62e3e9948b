using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// Where managed objects get their memory. There is no garbage collector: the kernel registers
    /// its heap here at boot, and owners release objects explicitly (<c>Osv.Runtime.ObjectMemory.Free</c>).
    /// </summary>
    public static unsafe class ObjectAllocator
    {
        private static delegate*<nuint, void*> s_allocateZeroed;
        private static delegate*<void*, void> s_free;
        private static delegate*<void*, nuint, void*> s_reallocate;

        public static void Register(delegate*<nuint, void*> allocateZeroed, delegate*<void*, void> free, delegate*<void*, nuint, void*> reallocate)
        {
            s_allocateZeroed = allocateZeroed;
            s_free = free;
            s_reallocate = reallocate;
        }

        public static bool IsRegistered => s_allocateZeroed != null;

        internal static void* AllocateZeroed(nuint size)
        {
            if (s_allocateZeroed == null)
                Internal.Runtime.RuntimeFailure.FailFast("allocation before the kernel heap exists");
            return s_allocateZeroed(size);
        }

        internal static void Free(void* block)
        {
            if (block != null && s_free != null)
                s_free(block);
        }

        internal static void* Reallocate(void* block, nuint size)
        {
            if (s_reallocate == null)
                Internal.Runtime.RuntimeFailure.FailFast("allocation before the kernel heap exists");
            return s_reallocate(block, size);
        }
    }
}

namespace Osv.Runtime
{
    /// <summary>Explicit release of managed objects (the kernel has no garbage collector).</summary>
    public static unsafe class ObjectMemory
    {
        /// <summary>Returns the object's memory to the heap. The caller guarantees nothing references it any more.</summary>
        public static void Free(object? instance)
        {
            if (instance is null)
                return;
            System.Runtime.ObjectAllocator.Free(*(void**)Unsafe.AsPointer(ref instance));
        }
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>Native memory from the kernel heap (the .NET API of the same name).</summary>
    public static unsafe class NativeMemory
    {
        public static void* Alloc(nuint byteCount) => ObjectAllocator.Reallocate(null, byteCount == 0 ? 1 : byteCount);
        public static void* AllocZeroed(nuint byteCount) => ObjectAllocator.AllocateZeroed(byteCount == 0 ? 1 : byteCount);
        public static void* Realloc(void* ptr, nuint byteCount) => ObjectAllocator.Reallocate(ptr, byteCount == 0 ? 1 : byteCount);
        public static void Free(void* ptr) => ObjectAllocator.Free(ptr);
    }
}
