namespace Osv.Core.Elf;

/// <summary>
/// Static TLS of an application (x86-64 variant II): every module loaded at start-up gets its block at a
/// fixed negative offset from the thread pointer, in the order added. The first module added (the
/// executable) sits right below the thread pointer, at -(p_memsz rounded up to p_align): exactly where
/// the static linker put its local-exec (<c>%fs:-N</c>) accesses. The next ones go below it (initial-exec
/// TPOFF64 and <c>__tls_get_addr</c> both use the offset recorded here). Module ids are 1, 2, ... in order.
/// Pure bookkeeping: a thread's block is filled by <see cref="InitializeBlock"/> from the (relocated)
/// TLS images — .tdata copied, .tbss zeroed.
/// </summary>
public unsafe struct StaticTlsLayout
{
    public const int Capacity = 32;

    private fixed ulong _image[Capacity];
    private fixed ulong _imageSize[Capacity];
    private fixed ulong _memorySize[Capacity];
    private fixed ulong _offset[Capacity];
    private int _count;
    private ulong _size;
    private ulong _alignment;

    /// <summary>How many modules have a static block.</summary>
    public readonly int Count => _count;

    /// <summary>Bytes below the thread pointer that all static blocks take (a multiple of <see cref="Alignment"/>).</summary>
    public readonly ulong Size => _size;

    /// <summary>The largest alignment any module asks for (1 when none).</summary>
    public readonly ulong Alignment => _alignment == 0 ? 1 : _alignment;

    public void Reset()
    {
        _count = 0;
        _size = 0;
        _alignment = 0;
    }

    /// <summary>
    /// Gives a module (its TLS image at run-time address <paramref name="image"/>: p_filesz initialized bytes
    /// of p_memsz, aligned to p_align) a static block. False when the table is full or the alignment is not
    /// a power of two (or above a page).
    /// </summary>
    public bool Add(ulong image, ulong imageSize, ulong memorySize, ulong alignment, out ulong moduleId, out long blockOffset)
    {
        moduleId = 0;
        blockOffset = 0;
        if (alignment == 0)
            alignment = 1;
        if (_count == Capacity || (alignment & (alignment - 1)) != 0 || alignment > 4096 || imageSize > memorySize || memorySize > (1UL << 30))
            return false;
        ulong offset = (_size + memorySize + alignment - 1) & ~(alignment - 1);
        _image[_count] = image;
        _imageSize[_count] = imageSize;
        _memorySize[_count] = memorySize;
        _offset[_count] = offset;
        _count++;
        if (alignment > _alignment)
            _alignment = alignment;
        _size = (offset + Alignment - 1) & ~(Alignment - 1);
        moduleId = (ulong)_count;
        blockOffset = -(long)offset;
        return true;
    }

    /// <summary>Thread pointer + this = the module's block; 0 for an unknown module.</summary>
    public readonly long BlockOffset(ulong moduleId)
    {
        if (moduleId == 0 || moduleId > (ulong)_count)
            return 0;
        return -(long)_offset[(int)moduleId - 1];
    }

    /// <summary>What <c>__tls_get_addr({module, offset})</c> returns for a thread; 0 for an unknown module.</summary>
    public readonly ulong Address(ulong threadPointer, ulong moduleId, ulong offset)
    {
        if (moduleId == 0 || moduleId > (ulong)_count)
            return 0;
        return threadPointer - _offset[(int)moduleId - 1] + offset;
    }

    /// <summary>Fills every module's block below <paramref name="threadPointer"/>: the image copied, the rest zeroed.</summary>
    public readonly void InitializeBlock(ulong threadPointer) => InitializeModules(threadPointer, 0);

    /// <summary>Fills the blocks of modules <paramref name="first"/> (0-based) and after: dlopen's new modules in the calling thread.</summary>
    public readonly void InitializeModules(ulong threadPointer, int first)
    {
        for (int i = first; i < _count; i++)
        {
            byte* block = (byte*)(threadPointer - _offset[i]);
            byte* image = (byte*)_image[i];
            ulong initialized = _imageSize[i];
            ulong total = _memorySize[i];
            for (ulong j = 0; j < initialized; j++)
                block[j] = image[j];
            for (ulong j = initialized; j < total; j++)
                block[j] = 0;
        }
    }
}
