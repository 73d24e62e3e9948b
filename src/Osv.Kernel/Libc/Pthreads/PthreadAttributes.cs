using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthread_attr_t (56 bytes, own layout: applications use only the accessors): stack size, guard
    /// size, detach state. Stacks are lazy (pages appear on first touch) behind the scheduler's own
    /// guard page; the guard size is kept for the getter only.
    /// </summary>
    internal static unsafe class PthreadAttributes
    {
        public const ulong DefaultStackSize = 8UL << 20; // glibc: RLIMIT_STACK's 8 MiB
        public const ulong MinimumStackSize = 16384;     // PTHREAD_STACK_MIN
        public const ulong DefaultGuardSize = 4096;
        public const int Joinable = 0;
        public const int Detached = 1;

        [StructLayout(LayoutKind.Explicit, Size = 56)]
        public struct Attributes
        {
            [FieldOffset(0)] public ulong StackSize;
            [FieldOffset(8)] public ulong GuardSize;
            [FieldOffset(16)] public ulong StackAddress;
            [FieldOffset(24)] public int DetachState;
        }

        public static void SetDefaults(Attributes* attributes)
        {
            *attributes = default;
            attributes->StackSize = DefaultStackSize;
            attributes->GuardSize = DefaultGuardSize;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_init")]
        public static int Init(Attributes* attributes)
        {
            SetDefaults(attributes);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_destroy")]
        public static int Destroy(Attributes* attributes) => 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_setstacksize")]
        public static int SetStackSize(Attributes* attributes, ulong size)
        {
            if (size < MinimumStackSize)
                return LibcErrors.EINVAL;
            attributes->StackSize = size;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_getstacksize")]
        public static int GetStackSize(Attributes* attributes, ulong* size)
        {
            *size = attributes->StackSize;
            return 0;
        }

        /// <summary>Reports the stack of a pthread_getattr_np result; a caller-provided stack is not supported for new threads.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_getstack")]
        public static int GetStack(Attributes* attributes, ulong* address, ulong* size)
        {
            *address = attributes->StackAddress;
            *size = attributes->StackSize;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_setdetachstate")]
        public static int SetDetachState(Attributes* attributes, int state)
        {
            if (state != Joinable && state != Detached)
                return LibcErrors.EINVAL;
            attributes->DetachState = state;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_getdetachstate")]
        public static int GetDetachState(Attributes* attributes, int* state)
        {
            *state = attributes->DetachState;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_setguardsize")]
        public static int SetGuardSize(Attributes* attributes, ulong size)
        {
            attributes->GuardSize = size;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_getguardsize")]
        public static int GetGuardSize(Attributes* attributes, ulong* size)
        {
            *size = attributes->GuardSize;
            return 0;
        }

        /// <summary>PTHREAD_SCOPE_SYSTEM (0) only, as on Linux.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_setscope")]
        public static int SetScope(Attributes* attributes, int scope) => scope == 0 ? 0 : scope == 1 ? LibcErrors.ENOTSUP : LibcErrors.EINVAL;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_attr_getscope")]
        public static int GetScope(Attributes* attributes, int* scope)
        {
            *scope = 0;
            return 0;
        }
    }
}
