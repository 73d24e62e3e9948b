namespace Osv.Core.Linux
{
    /// <summary>
    /// glibc's userspace `struct sigaction` (x86-64, 152 bytes): the handler, a 1024-bit sigset_t,
    /// int sa_flags, sa_restorer. The kernel's has one mask word (64 signals) and a 64-bit flags
    /// field; <see cref="ToKernel"/> and <see cref="FromKernel"/> convert as glibc's own sigaction
    /// wrapper does.
    /// </summary>
    public unsafe struct GlibcSigaction
    {
        /// <summary>sa_flags: the restorer field is valid (the kernel requires it for a handler).</summary>
        public const uint SaRestorer = 0x04000000;
        public const int MaskWords = 16;

        public ulong Handler;
        public fixed ulong Mask[MaskWords];
        public int Flags; // then 4 bytes of alignment padding: sa_restorer is at byte 144
        public ulong Restorer;

        /// <summary>
        /// What rt_sigaction receives. Like glibc, the C library's own restorer replaces the program's
        /// sa_restorer (which glibc documents as obsolete); mask bits above signal 64 name no signal.
        /// </summary>
        public static KernelSigaction ToKernel(in GlibcSigaction action, ulong restorer)
        {
            KernelSigaction result;
            result.Handler = action.Handler;
            result.Flags = (uint)action.Flags | SaRestorer; // sa_flags is an int: SA_RESETHAND is its sign bit
            result.Restorer = restorer;
            result.Mask = action.Mask[0];
            return result;
        }

        /// <summary>The old action as the program reads it: the kernel's flags and restorer, the mask's upper words clear.</summary>
        public static GlibcSigaction FromKernel(in KernelSigaction action)
        {
            GlibcSigaction result = default;
            result.Handler = action.Handler;
            result.Mask[0] = action.Mask;
            result.Flags = (int)(uint)action.Flags;
            result.Restorer = action.Restorer;
            return result;
        }
    }
}
