namespace Osv.Core.Memory
{
    /// <summary>
    /// Where kernel subsystems get physical pages: the composition root supplies functions that are
    /// safe to call from any thread (they exclude preemption), instead of the raw allocator.
    /// </summary>
    public readonly unsafe struct PageSource
    {
        private readonly delegate*<nuint, void*> _allocate;
        private readonly delegate*<void*, nuint, void> _free;

        public PageSource(delegate*<nuint, void*> allocate, delegate*<void*, nuint, void> free)
        {
            _allocate = allocate;
            _free = free;
        }

        /// <summary>Contiguous, identity-mapped pages, or null.</summary>
        public void* Allocate(nuint count) => _allocate(count);

        public void Free(void* pages, nuint count) => _free(pages, count);
    }
}
