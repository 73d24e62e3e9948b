namespace Osv.Core.Linux
{
    /// <summary>Linux's `struct sigaction` as the rt_sigaction system call passes it (x86-64): 64 signals, one mask word.</summary>
    public struct KernelSigaction
    {
        public ulong Handler;
        public ulong Flags;
        public ulong Restorer;
        public ulong Mask;
    }
}
