using System;
using System.IO;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Xunit;

namespace Osv.Vfs.Tests.Rofs;

/// <summary>The host writer refuses bad trees with messages that name the path at fault.</summary>
public sealed class RofsImageWriterTests
{
    [Theory]
    [InlineData("/a//b")]
    [InlineData("/a/./b")]
    [InlineData("/a/../b")]
    [InlineData("/a\0b")]
    public void InvalidNamesAreRefused(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => new RofsSourceTree().AddFile(path, new byte[1]));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void TheSamePathTwiceIsRefused()
    {
        var tree = new RofsSourceTree().AddFile("/etc/hosts", new byte[1]);
        Assert.Contains("'/etc/hosts' is added twice", Assert.Throws<ArgumentException>(() => tree.AddSymlink("etc/hosts", "x")).Message);
    }

    [Fact]
    public void AFileCannotBeUsedAsADirectory()
    {
        var tree = new RofsSourceTree().AddFile("/etc", new byte[1]);
        var error = Assert.Throws<ArgumentException>(() => tree.AddFile("/etc/hosts", new byte[1]));
        Assert.Contains("'/etc/hosts'", error.Message);
        Assert.Contains("'/etc' is not a directory", error.Message);
    }

    [Fact]
    public void TheRootCannotBeAFile() =>
        Assert.Throws<ArgumentException>(() => new RofsSourceTree().AddFile("/", new byte[1]));

    [Fact]
    public void NamesAndTargetsLongerThanTheLengthFieldAreRefused()
    {
        string longName = new string('n', RofsLayout.MaxNameLength + 1);
        Assert.Contains("longer than", Assert.Throws<ArgumentException>(() => new RofsSourceTree().AddFile("/" + longName, new byte[1])).Message);
        Assert.Contains("'/l'", Assert.Throws<ArgumentException>(() => new RofsSourceTree().AddSymlink("/l", longName)).Message);
        Assert.Contains("'/l'", Assert.Throws<ArgumentException>(() => new RofsSourceTree().AddSymlink("/l", "")).Message);
    }

    [Fact]
    public void AMissingHostFileIsNamedWithItsGuestPath()
    {
        string missing = Path.Combine(Path.GetTempPath(), "osv-rofs-missing-" + Guid.NewGuid().ToString("N"));
        var tree = new RofsSourceTree().AddHostFile("/usr/lib/app.so", missing);
        var error = Assert.Throws<IOException>(() => RofsImageWriter.Build(tree));
        Assert.Contains(missing, error.Message);
        Assert.Contains("/usr/lib/app.so", error.Message);
    }

    [Fact]
    public void TreesDeeperThanTheReaderFollowsAreRefused()
    {
        string path = "";
        for (int depth = 0; depth < RofsVolume.MaxTreeDepth; depth++)
            path += "/d";
        var error = Assert.Throws<InvalidOperationException>(() => RofsImageWriter.Build(new RofsSourceTree().AddDirectory(path)));
        Assert.Contains("deeper than", error.Message);
    }
}
