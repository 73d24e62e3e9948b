using System;
using Osv.Vfs.Partitions;
using Xunit;

namespace Osv.Vfs.Tests.Partitions;

public class GptGuidTests
{
    [Fact]
    public void GroupConstructorMatchesTheTextualGuid()
    {
        Assert.Equal(Guid.Parse("0FC63DAF-8483-4772-8E79-3D69D8477DE4"), GptGuid.LinuxFilesystem.ToGuid());
        Assert.Equal(Guid.Parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"), GptGuid.EfiSystem.ToGuid());
    }

    [Fact]
    public void FormatPrintsUpperCaseDashedText()
    {
        Guid guid = Guid.Parse("01234567-89ab-cdef-0011-223344556677");
        char[] text = new char[40];
        int length = GptGuid.FromGuid(guid).Format(text);
        Assert.Equal("01234567-89AB-CDEF-0011-223344556677", new string(text, 0, length));
    }

    [Fact]
    public void FormatRefusesAShortDestination() => Assert.Equal(-1, GptGuid.LinuxFilesystem.Format(new char[35]));

    [Fact]
    public void BytesRoundTripInGptOrder()
    {
        Guid guid = Guid.Parse("0FC63DAF-8483-4772-8E79-3D69D8477DE4");
        byte[] written = new byte[16];
        GptGuid.FromGuid(guid).Write(written);
        // GPT stores the first three groups little-endian: AF 3D C6 0F 83 84 72 47, then 8E 79 ...
        Assert.Equal(new byte[] { 0xAF, 0x3D, 0xC6, 0x0F, 0x83, 0x84, 0x72, 0x47, 0x8E, 0x79, 0x3D, 0x69, 0xD8, 0x47, 0x7D, 0xE4 }, written);
        Assert.True(GptGuid.Read(written).Equals(GptGuid.LinuxFilesystem));
    }

    [Fact]
    public void EmptyIsAllZero()
    {
        Assert.True(GptGuid.Empty.IsEmpty);
        Assert.False(GptGuid.LinuxFilesystem.IsEmpty);
    }
}
