using System;
using System.IO;
using Osv.Vfs.Bootfs;
using Osv.Vfs.Bootfs.Host;
using Xunit;

namespace Osv.Vfs.Tests.Bootfs;

/// <summary>The host writer refuses entries OSv's format cannot hold, naming them.</summary>
public sealed class BootfsArchiveWriterTests
{
    [Fact]
    public void NamesMustFitTheRecordWithTheirNul()
    {
        string fits = "/" + new string('n', BootfsLayout.NameCapacity - 2);
        new BootfsArchiveWriter().AddFile(fits, new byte[1]).Build();
        var error = Assert.Throws<ArgumentException>(() => new BootfsArchiveWriter().AddFile(fits + "n", new byte[1]));
        Assert.Contains(fits + "n", error.Message);
        // A directory's '/' counts too.
        Assert.Throws<ArgumentException>(() => new BootfsArchiveWriter().AddDirectory(fits));
    }

    [Fact]
    public void TheSameNameTwiceIsRefused()
    {
        var writer = new BootfsArchiveWriter().AddFile("/a", new byte[1]);
        Assert.Contains("'/a' is added twice", Assert.Throws<ArgumentException>(() => writer.AddSymlink("/a", "b")).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/a\0b")]
    public void InvalidNamesAreRefused(string name) =>
        Assert.Throws<ArgumentException>(() => new BootfsArchiveWriter().AddFile(name, new byte[1]));

    [Fact]
    public void EmptySymlinkTargetsAreRefused() =>
        Assert.Contains("'/l'", Assert.Throws<ArgumentException>(() => new BootfsArchiveWriter().AddSymlink("/l", "")).Message);

    [Fact]
    public void AMissingHostFileIsNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), "osv-bootfs-missing-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<IOException>(() => new BootfsArchiveWriter().AddHostFile("/bin/app", missing).Build());
        Assert.Contains(missing, error.Message);
        Assert.Contains("/bin/app", error.Message);
    }
}
