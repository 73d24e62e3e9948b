using Xunit;

namespace Osv.Vfs.Tests.Support;

/// <summary>File sizes around the 512-byte block and the 4 KiB cache window, and one past 1 MiB.</summary>
public static class FileSizes
{
    public static TheoryData<int> Edges => new() { 0, 1, 511, 512, 513, 4095, 4097, 1024 * 1024 + 3 };
}
