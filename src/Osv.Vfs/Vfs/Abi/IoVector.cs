namespace Osv.Vfs.Vfs.Abi;

/// <summary><c>struct iovec</c>: base pointer and length, 16 bytes.</summary>
public unsafe struct IoVector
{
    public void* Base;
    public nuint Length;
}
