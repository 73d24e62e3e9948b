using System;
using System.Runtime.InteropServices;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

/// <summary>The structs match Linux x86-64's sizes and field offsets (the numbers come from the kernel and glibc headers).</summary>
public sealed unsafe class AbiLayoutTests : VfsTestKit
{
    [Theory]
    [InlineData("Device", 0)]
    [InlineData("Inode", 8)]
    [InlineData("LinkCount", 16)]
    [InlineData("Mode", 24)]
    [InlineData("UserId", 28)]
    [InlineData("GroupId", 32)]
    [InlineData("RepresentedDevice", 40)]
    [InlineData("Size", 48)]
    [InlineData("BlockSize", 56)]
    [InlineData("Blocks", 64)]
    [InlineData("AccessSeconds", 72)]
    [InlineData("ModificationSeconds", 88)]
    [InlineData("ChangeSeconds", 104)]
    [InlineData("ChangeNanoseconds", 112)]
    public void Stat_field_offsets(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<LinuxStat>(field));

    [Theory]
    [InlineData("Mask", 0)]
    [InlineData("LinkCount", 16)]
    [InlineData("Mode", 28)]
    [InlineData("Inode", 32)]
    [InlineData("Size", 40)]
    [InlineData("AccessTime", 64)]
    [InlineData("ModificationTime", 112)]
    [InlineData("RepresentedDeviceMajor", 128)]
    [InlineData("MountId", 144)]
    public void Statx_field_offsets(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<LinuxStatx>(field));

    [Theory]
    [InlineData("Type", 0)]
    [InlineData("Blocks", 16)]
    [InlineData("FileSystemId0", 56)]
    [InlineData("NameLength", 64)]
    [InlineData("Flags", 80)]
    public void Statfs_field_offsets(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<LinuxStatfs>(field));

    [Fact]
    public void Struct_sizes()
    {
        Assert.Equal(144, sizeof(LinuxStat));
        Assert.Equal(256, sizeof(LinuxStatx));
        Assert.Equal(16, sizeof(LinuxStatxTimestamp));
        Assert.Equal(120, sizeof(LinuxStatfs));
        Assert.Equal(16, sizeof(IoVector));
        Assert.Equal(8, sizeof(PollDescriptor));
    }

    [Fact]
    public void Stat_and_statx_report_the_same_file()
    {
        WriteFile("/f", "12345");
        Assert.Equal(0, Files.Stat(B("/f"), out LinuxStat stat));
        Assert.Equal(0, Files.Statx(AtFlags.CurrentDirectory, B("/f"), 0, LinuxStatx.BasicStats, out LinuxStatx statx));
        Assert.Equal(5, stat.Size);
        Assert.Equal(FileModes.Regular | 0x1A4u, stat.Mode);
        Assert.Equal(1UL, stat.LinkCount);
        Assert.Equal(ClockNanoseconds / 1_000_000_000, stat.ModificationSeconds);
        Assert.Equal(ClockNanoseconds % 1_000_000_000, stat.ModificationNanoseconds);
        Assert.Equal(stat.Inode, statx.Inode);
        Assert.Equal((ulong)stat.Size, statx.Size);
        Assert.Equal((ushort)stat.Mode, statx.Mode);
        Assert.Equal(LinuxStatx.BasicStats, statx.Mask & LinuxStatx.BasicStats);
        Assert.Equal((uint)(ClockNanoseconds % 1_000_000_000), statx.ModificationTime.Nanoseconds);
        Assert.Equal(-Errno.EINVAL, Files.Statx(AtFlags.CurrentDirectory, B("/f"), 0, 0x80000000u, out _));
    }
}
