namespace Osv.Core.Elf;

/// <summary>
/// Reads an object's virtual addresses wherever the object currently is: in a file image not yet mapped
/// (addresses go through the PT_LOAD table to file offsets) or laid out in memory (one contiguous range
/// starting at the object's lowest address). The same dynamic-section, symbol and relocation code runs over
/// both, on the host against files and in the kernel against mapped objects. Every access is bounds-checked.
/// </summary>
public readonly unsafe struct AddressSpaceView
{
    private readonly ElfImage _file;
    private readonly byte* _memory;
    private readonly ulong _lowAddress;
    private readonly ulong _length;
    private readonly bool _isMapped;
    private readonly bool _isWritable;

    private AddressSpaceView(in ElfImage file, byte* memory, ulong lowAddress, ulong length, bool isMapped, bool isWritable)
    {
        _file = file;
        _memory = memory;
        _lowAddress = lowAddress;
        _length = length;
        _isMapped = isMapped;
        _isWritable = isWritable;
    }

    /// <summary>A read-only view of a file image: only the file-backed bytes of PT_LOAD segments are addressable.</summary>
    public static AddressSpaceView OfFile(in ElfImage file) => new AddressSpaceView(file, null, 0, 0, false, false);

    /// <summary>
    /// A view of an object laid out in memory: <paramref name="memory"/> holds virtual address
    /// <paramref name="lowAddress"/> (usually <see cref="ElfImage.LoadStart"/>) and <paramref name="length"/> bytes follow.
    /// </summary>
    public static AddressSpaceView OfMemory(byte* memory, ulong lowAddress, ulong length, bool isWritable) =>
        new AddressSpaceView(default, memory, lowAddress, length, true, isWritable);

    public bool IsMapped => _isMapped;
    public bool IsWritable => _isWritable;

    /// <summary>Where the <paramref name="size"/> bytes at <paramref name="address"/> are, if all of them are addressable.</summary>
    public bool TryGetPointer(ulong address, ulong size, out byte* pointer)
    {
        pointer = null;
        if (_isMapped)
        {
            if (_memory == null || address < _lowAddress)
                return false;
            ulong delta = address - _lowAddress;
            if (delta > _length || size > _length - delta)
                return false;
            pointer = _memory + delta;
            return true;
        }
        if (_file.Data == null || !_file.TryTranslate(address, size, out ulong offset))
            return false;
        pointer = _file.Data + offset;
        return true;
    }

    /// <summary>Like <see cref="TryGetPointer"/>, for a relocation's store: only a writable memory view can take one.</summary>
    public bool TryGetWritablePointer(ulong address, ulong size, out byte* pointer)
    {
        pointer = null;
        return _isWritable && TryGetPointer(address, size, out pointer);
    }

    public bool TryRead64(ulong address, out ulong value)
    {
        value = 0;
        if (!TryGetPointer(address, 8, out byte* at))
            return false;
        value = ElfBytes.Read64(at);
        return true;
    }
}
