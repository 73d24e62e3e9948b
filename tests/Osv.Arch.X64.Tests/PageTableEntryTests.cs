using System.Collections.Generic;
using Osv.Arch.X64.Memory;
using Xunit;

namespace Osv.Arch.X64.Tests;

public sealed class PageTableEntryTests
{
    [Fact]
    public void BitsAreTheArchitecturalOnes()
    {
        // Intel SDM vol. 3A, table 4-19 (4-KByte page-table entry).
        Assert.Equal(0x1UL, PageTableEntry.Present);
        Assert.Equal(0x2UL, PageTableEntry.Writable);
        Assert.Equal(0x8UL, PageTableEntry.WriteThrough);
        Assert.Equal(0x10UL, PageTableEntry.CacheDisable);
        Assert.Equal(0x80UL, PageTableEntry.LargePage);
        Assert.Equal(0x100UL, PageTableEntry.Global);
        Assert.Equal(0x8000_0000_0000_0000UL, PageTableEntry.NoExecute);
        // Physical address bits 12..51.
        Assert.Equal(((1UL << 52) - 1) & ~0xFFFUL, PageTableEntry.AddressMask);
    }

    public static IEnumerable<object[]> Classes() => new[]
    {
        new object[] { "KernelText", PageTableEntry.KernelText },
        new object[] { "KernelReadOnly", PageTableEntry.KernelReadOnly },
        new object[] { "KernelData", PageTableEntry.KernelData },
        new object[] { "DeviceMemory", PageTableEntry.DeviceMemory },
    };

    private static bool IsWritable(ulong entry) => (entry & PageTableEntry.Writable) != 0;
    private static bool IsExecutable(ulong entry) => (entry & PageTableEntry.NoExecute) == 0;

    [Theory]
    [MemberData(nameof(Classes))]
    public void NoClassIsBothWritableAndExecutable(string name, ulong flags)
    {
        Assert.True(!(IsWritable(flags) && IsExecutable(flags)), name);
        Assert.False(PageTableEntry.IsWritableAndExecutable(flags), name);
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public void EveryClassIsPresentAndCarriesNoAddressOrSizeBits(string name, ulong flags)
    {
        Assert.True((flags & PageTableEntry.Present) != 0, name);
        Assert.True((flags & PageTableEntry.AddressMask) == 0, name);
        // Bit 7 in a 4 KiB PTE is PAT, not "large page": no class may set it by accident.
        Assert.True((flags & PageTableEntry.LargePage) == 0, name);
    }

    [Fact]
    public void KernelTextIsExecutableAndReadOnly()
    {
        Assert.True(IsExecutable(PageTableEntry.KernelText));
        Assert.False(IsWritable(PageTableEntry.KernelText));
    }

    [Fact]
    public void ReadOnlyDataIsNeitherWritableNorExecutable()
    {
        Assert.False(IsExecutable(PageTableEntry.KernelReadOnly));
        Assert.False(IsWritable(PageTableEntry.KernelReadOnly));
    }

    [Fact]
    public void KernelDataIsWritableButNotExecutable()
    {
        Assert.True(IsWritable(PageTableEntry.KernelData));
        Assert.False(IsExecutable(PageTableEntry.KernelData));
    }

    [Fact]
    public void DeviceMemoryIsUncachedWritableAndNotExecutable()
    {
        ulong device = PageTableEntry.DeviceMemory;
        Assert.True((device & PageTableEntry.CacheDisable) != 0);
        Assert.True((device & PageTableEntry.WriteThrough) != 0);
        Assert.True(IsWritable(device));
        Assert.False(IsExecutable(device));
    }

    [Fact]
    public void KernelImageClassesAreWriteBackCached()
    {
        foreach (ulong flags in new[] { PageTableEntry.KernelText, PageTableEntry.KernelReadOnly, PageTableEntry.KernelData })
            Assert.True((flags & (PageTableEntry.CacheDisable | PageTableEntry.WriteThrough)) == 0);
    }

    [Theory]
    [InlineData(PageTableEntry.Present | PageTableEntry.Writable, true)]
    [InlineData(PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.Global | 0x1234_5000UL, true)]
    [InlineData(PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.NoExecute, false)]
    [InlineData(PageTableEntry.Present, false)]
    [InlineData(PageTableEntry.Writable, false)] // not present: nothing is mapped
    [InlineData(0UL, false)]
    public void IsWritableAndExecutableDetectsViolations(ulong entry, bool expected)
    {
        Assert.Equal(expected, PageTableEntry.IsWritableAndExecutable(entry));
    }

    [Fact]
    public void ClassesKeepTheirPermissionsWhenCombinedWithAnAddress()
    {
        const ulong address = 0x000F_FFFF_FFFF_F000UL;
        Assert.False(PageTableEntry.IsWritableAndExecutable(address | PageTableEntry.KernelText));
        Assert.False(PageTableEntry.IsWritableAndExecutable(address | PageTableEntry.KernelData));
        Assert.False(PageTableEntry.IsWritableAndExecutable(address | PageTableEntry.DeviceMemory));
        Assert.Equal(address, (address | PageTableEntry.KernelData) & PageTableEntry.AddressMask);
    }
}
