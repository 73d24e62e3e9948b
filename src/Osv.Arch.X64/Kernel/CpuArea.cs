namespace Osv.Arch.X64.Smp
{
    /// <summary>
    /// One secondary CPU's private memory, page-contiguous: a guard page under each of its three IST
    /// stacks and under its own stack, then a page with its GDT, TSS and thread control block.
    /// </summary>
    public readonly struct CpuArea
    {
        public const int PageSize = 4096;
        public const int StackPages = 4;
        private const int StackSlot = 1 + StackPages; // guard + stack
        public const int Pages = 4 * StackSlot + 1;

        public readonly ulong Base;

        public CpuArea(ulong baseAddress) { Base = baseAddress; }

        /// <summary>Guard pages 0-2 sit under IST stacks 1-3, guard 3 under the CPU's own stack.</summary>
        public ulong GuardPage(int index) => Base + (ulong)(index * StackSlot * PageSize);
        public ulong StackBottom(int index) => GuardPage(index) + PageSize;
        public ulong StackTop(int index) => StackBottom(index) + StackPages * PageSize;
        public ulong IstTop(int ist) => StackTop(ist - 1);
        public ulong OwnStackTop => StackTop(3);
        public ulong TablesPage => Base + (ulong)(4 * StackSlot * PageSize);
        public ulong TlsArea => TablesPage + 256;
        public int TlsAreaSize => PageSize - 256;
    }
}
