namespace Osv.Core.Elf;

/// <summary>One Elf64_Phdr as it lies in the file (56 bytes, little endian).</summary>
public struct ProgramHeader
{
    public const int Size = 56;
    /// <summary>PF_X, PF_W, PF_R in p_flags.</summary>
    public const uint Executable = 1, Writable = 2, Readable = 4;

    public ProgramHeaderType Type;
    public uint Flags;
    public ulong Offset;
    public ulong VirtualAddress;
    public ulong PhysicalAddress;
    public ulong FileSize;
    public ulong MemorySize;
    public ulong Alignment;

    public ulong VirtualEnd => VirtualAddress + MemorySize;
    public bool IsWritable => (Flags & Writable) != 0;
    public bool IsExecutable => (Flags & Executable) != 0;
}
