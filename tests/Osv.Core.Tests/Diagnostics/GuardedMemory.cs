using System;
using System.Runtime.InteropServices;

namespace Osv.Core.Tests.Diagnostics;

/// <summary>
/// Native memory whose data ends exactly at an inaccessible (PROT_NONE) page, so a parser that reads
/// even one byte past the data faults instead of silently reading whatever follows. Linux only.
/// </summary>
public sealed unsafe class GuardedMemory : IDisposable
{
    private const int PageSize = 4096;
    private const int ProtNone = 0;
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(nint address, nuint length);

    private readonly nint _mapping;
    private readonly nuint _mappingLength;

    private GuardedMemory(int length)
    {
        int dataPages = (length + PageSize - 1) / PageSize;
        if (dataPages == 0)
            dataPages = 1;
        _mappingLength = (nuint)((dataPages + 1) * PageSize);
        _mapping = mmap(0, _mappingLength, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (_mapping == -1)
            throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
        byte* guard = (byte*)_mapping + dataPages * PageSize;
        if (mprotect((nint)guard, PageSize, ProtNone) != 0)
            throw new InvalidOperationException($"mprotect failed: errno {Marshal.GetLastPInvokeError()}");
        Length = length;
        Data = guard - length;
        // What precedes the data is garbage, never zeros a lucky parser could stop on.
        new Span<byte>((byte*)_mapping, (int)(Data - (byte*)_mapping)).Fill(0xCC);
    }

    /// <summary><paramref name="length"/> writable bytes that end at the guard page.</summary>
    public static GuardedMemory Allocate(int length) => new GuardedMemory(length);

    /// <summary>A copy of <paramref name="data"/> that ends at the guard page.</summary>
    public static GuardedMemory EndingWith(ReadOnlySpan<byte> data)
    {
        var memory = new GuardedMemory(data.Length);
        data.CopyTo(new Span<byte>(memory.Data, data.Length));
        return memory;
    }

    public byte* Data { get; }
    public int Length { get; }

    public void Dispose() => munmap(_mapping, _mappingLength);
}
