using Osv.Vfs.Manifest.Host;
using Xunit;

namespace Osv.Vfs.Tests.Manifest;

public class GuestPathsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/usr/lib/", "/usr/lib")]
    [InlineData("//usr///lib", "/usr/lib")]
    [InlineData("/usr/./lib", "/usr/lib")]
    [InlineData("/usr/bin/../lib", "/usr/lib")]
    [InlineData("/..a/b", "/..a/b")]
    public void NormalizesToAbsoluteSlashSeparatedPaths(string path, string expected)
    {
        Assert.Equal(expected, GuestPaths.Normalize(path, out string? problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("usr/lib", "relative")]
    [InlineData("/..", "'..'")]
    [InlineData("/usr/../../etc", "'..'")]
    public void RejectsRelativePathsAndEscapes(string path, string expectedWord)
    {
        Assert.Null(GuestPaths.Normalize(path, out string? problem));
        Assert.Contains(expectedWord, problem);
    }

    [Theory]
    [InlineData("/usr/lib", "/usr")]
    [InlineData("/usr", "/")]
    [InlineData("/", null)]
    public void ParentWalksUpToTheRoot(string path, string? expected) => Assert.Equal(expected, GuestPaths.Parent(path));

    [Fact]
    public void CombineDoesNotDoubleTheRootSlash()
    {
        Assert.Equal("/a", GuestPaths.Combine("/", "a"));
        Assert.Equal("/d/a", GuestPaths.Combine("/d", "a"));
    }
}
