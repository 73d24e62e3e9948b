using Osv.Vfs.Manifest.Host;
using Xunit;

namespace Osv.Vfs.Tests.Manifest;

public class ManifestLineParserTests
{
    private static ManifestLine? Parse(string text) => ManifestLineParser.Parse(text, 7, "app.manifest");

    private static ManifestException Fails(string text) => Assert.Throws<ManifestException>(() => Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("# a comment: with a colon")]
    [InlineData("   # indented comment")]
    [InlineData("[manifest]")]
    public void IgnoresBlankLinesCommentsAndTheSectionHeader(string text) => Assert.Null(Parse(text));

    [Fact]
    public void ReadsACopyLine() =>
        Assert.Equal(new ManifestLine(7, "/usr/bin/app", ManifestLineKind.Copy, "build/app"), Parse("/usr/bin/app: build/app"));

    [Fact]
    public void ToleratesTabsAndTrailingSpaceAndCarriageReturns() =>
        Assert.Equal(new ManifestLine(7, "/app", ManifestLineKind.Copy, "app.so"), Parse("  /app:\tapp.so  \r"));

    [Fact]
    public void AColonInsideAPathIsNotTheSeparator() =>
        Assert.Equal(new ManifestLine(7, "/etc/a:b", ManifestLineKind.Copy, "c:d"), Parse("/etc/a:b: c:d"));

    [Fact]
    public void ReadsARecursiveLineAsTheTwoDirectories() =>
        Assert.Equal(new ManifestLine(7, "/usr/lib/python", ManifestLineKind.RecursiveCopy, "lib/python"), Parse("/usr/lib/python/**: lib/python/**"));

    [Fact]
    public void ARecursiveLineAtTheRootKeepsTheRoot() =>
        Assert.Equal(new ManifestLine(7, "/", ManifestLineKind.RecursiveCopy, "rootfs"), Parse("/**: rootfs/**"));

    [Theory]
    [InlineData("/lib/libc.so: ->/lib/libc.so.6")]   // OSv's form
    [InlineData("/lib/libc.so: -> /lib/libc.so.6")]
    [InlineData("/lib/libc.so -> /lib/libc.so.6")]    // the arrow form
    public void ReadsSymlinksInBothForms(string text) =>
        Assert.Equal(new ManifestLine(7, "/lib/libc.so", ManifestLineKind.Symlink, "/lib/libc.so.6"), Parse(text));

    [Fact]
    public void ARelativeSymlinkTargetIsKeptAsWritten() =>
        Assert.Equal("libz.so.1.2", Parse("/lib/libz.so.1: ->libz.so.1.2")!.Source);

    [Fact]
    public void ExpandsTheAmpersandShorthand() =>
        Assert.Equal(new ManifestLine(7, "/usr/lib/libz.so.1", ManifestLineKind.Copy, "/usr/lib/x86_64-linux-gnu/libz.so.1"),
            Parse("/usr/lib/&/libz.so.1: /usr/lib/x86_64-linux-gnu/&"));

    [Fact]
    public void NormalizesTheGuestPath() => Assert.Equal("/usr/lib/x", Parse("/usr//bin/../lib/./x: x")!.GuestPath);

    [Fact]
    public void ErrorsNameTheFileAndLine()
    {
        ManifestException error = Fails("usr/bin/app: app");
        Assert.Equal(("app.manifest", 7), (error.ManifestPath, error.LineNumber));
        Assert.StartsWith("app.manifest:7: ", error.Message);
        Assert.Contains("relative", error.Problem);
    }

    [Theory]
    [InlineData("/usr/lib/%(gccbase)s/libstdc++.so.6: %(gccbase)s/lib64/libstdc++.so.6", "variables")]
    [InlineData("/../etc/passwd: passwd", "'..'")]
    [InlineData("/dir/**: host/dir", "'/**' must end both")]
    [InlineData("/dir: host/dir/**", "'/**' must end both")]
    [InlineData("/usr/lib/&/libz.so: /usr/lib", "'&'")]
    [InlineData("/just/a/path", "expected '/guest/path: host/path'")]
    [InlineData("/app:", "has no host path")]
    [InlineData("/link: ->", "has no target")]
    [InlineData(": host", "missing guest path")]
    [InlineData("[other]", "unknown section [other]")]
    public void RejectsMalformedLinesWithAClearProblem(string text, string expected) =>
        Assert.Contains(expected, Fails(text).Problem);
}
