namespace Osv.Core.Elf;

/// <summary>What one relocation writes: a 32- or 64-bit value, or a copy, at a virtual address of the object.</summary>
public struct PlannedStore
{
    /// <summary>0 for nothing (R_X86_64_NONE), 4 or 8 for a value; a copy uses <see cref="CopySize"/>.</summary>
    public int Width;
    public bool IsCopy;
    public ulong Address;
    public ulong Value;
    /// <summary>For a copy: the run-time address of the bytes to copy (the definition) and how many.</summary>
    public ulong CopySource;
    public ulong CopySize;
}
