using System;
using System.IO;
using System.Linq;
using Osv.Vfs.Manifest.Host;
using Osv.Vfs.Tests.Support;
using Xunit;

namespace Osv.Vfs.Tests.Manifest;

/// <summary>Whole manifests against real host files: expansion, implied parents, order and conflicts.</summary>
public sealed class ImageManifestTests : IDisposable
{
    private readonly TempTree _tree = new TempTree();

    public void Dispose() => _tree.Dispose();

    private string WriteManifest(string text, string name = "usr.manifest") => _tree.Write(name, text);

    private static string Summary(ManifestEntry entry) => entry.Kind switch
    {
        ManifestEntryKind.Symlink => entry.GuestPath + " -> " + entry.LinkTarget,
        ManifestEntryKind.File => entry.GuestPath + " = file",
        _ => entry.GuestPath + "/",
    };

    [Fact]
    public void ProducesASortedListWithImpliedParents()
    {
        _tree.Write("build/app.so");
        _tree.Write("build/libfoo.so");
        string manifest = WriteManifest("""
            [manifest]
            # the application
            /usr/lib/libfoo.so: build/libfoo.so
            /app.so: build/app.so

            /usr/lib/libfoo.so.1: ->libfoo.so
            """);

        string[] entries = ImageManifest.Load(manifest).Select(Summary).ToArray();

        Assert.Equal(new[] { "/app.so = file", "/usr/", "/usr/lib/", "/usr/lib/libfoo.so = file", "/usr/lib/libfoo.so.1 -> libfoo.so" }, entries);
    }

    [Fact]
    public void HostPathsAreRelativeToTheManifestFolder()
    {
        string file = _tree.Write("sub/data/x.txt");
        string manifest = _tree.Write("sub/m.manifest", "/x.txt: data/x.txt\n");

        ManifestEntry entry = Assert.Single(ImageManifest.Load(manifest));

        Assert.Equal(file, entry.HostPath);
    }

    [Fact]
    public void AbsoluteHostPathsAreKept()
    {
        string file = _tree.Write("elsewhere/y");
        ManifestEntry entry = Assert.Single(ImageManifest.Load(WriteManifest("/y: " + file + "\n")));
        Assert.Equal(file, entry.HostPath);
    }

    [Fact]
    public void ARecursiveLineCopiesTheTreeWithEmptyDirectories()
    {
        _tree.Write("py/a.py");
        _tree.Write("py/pkg/b.py");
        _tree.CreateDirectory("py/empty");
        string manifest = WriteManifest("/usr/lib/python/**: py/**\n");

        string[] entries = ImageManifest.Load(manifest).Select(Summary).ToArray();

        Assert.Equal(new[]
        {
            "/usr/", "/usr/lib/", "/usr/lib/python/", "/usr/lib/python/a.py = file", "/usr/lib/python/empty/",
            "/usr/lib/python/pkg/", "/usr/lib/python/pkg/b.py = file",
        }, entries);
        Assert.Equal(_tree.PathOf("py/pkg/b.py"), ImageManifest.Load(manifest).Single(e => e.GuestPath.EndsWith("b.py")).HostPath);
    }

    [Fact]
    public void SymlinkedDirectoriesInATreeAreNotFollowed()
    {
        _tree.Write("t/real/f");
        Directory.CreateSymbolicLink(_tree.PathOf("t/loop"), _tree.PathOf("t"));

        string[] paths = ImageManifest.Load(WriteManifest("/t/**: t/**\n")).Select(e => e.GuestPath).ToArray();

        Assert.Equal(new[] { "/t", "/t/real", "/t/real/f" }, paths);
    }

    [Fact]
    public void ADanglingSymlinkInATreeIsAnError()
    {
        _tree.CreateDirectory("t");
        File.CreateSymbolicLink(_tree.PathOf("t/gone"), _tree.PathOf("nowhere"));

        ManifestException error = Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/t/**: t/**\n")));

        Assert.Contains("dangling symlink", error.Problem);
    }

    [Fact]
    public void ANamedHostDirectoryBecomesADirectoryEntry()
    {
        string directory = _tree.CreateDirectory("tmpdir");
        ManifestEntry entry = Assert.Single(ImageManifest.Load(WriteManifest("/tmp: tmpdir\n")));
        Assert.Equal((ManifestEntryKind.Directory, directory), (entry.Kind, entry.HostPath));
    }

    [Fact]
    public void TheSameLineTwiceIsHarmless()
    {
        _tree.Write("a");
        Assert.Single(ImageManifest.Load(WriteManifest("/a: a\n/a: ./a\n")));
    }

    [Fact]
    public void AMissingHostFileNamesTheLine()
    {
        ManifestException error = Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("\n\n/a: missing.so\n")));
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("host file 'missing.so'", error.Problem);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void AMissingRecursiveHostDirectoryIsAnError() =>
        Assert.Contains("host directory 'nodir'",
            Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/d/**: nodir/**\n"))).Problem);

    [Fact]
    public void ADuplicateGuestPathWithAnotherSourceNamesBothLines()
    {
        _tree.Write("a");
        _tree.Write("b");

        ManifestException error = Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/x: a\n# gap\n/x: b\n")));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("'/x' is already the file '" + _tree.PathOf("a") + "' (line 1)", error.Problem);
        Assert.Contains(_tree.PathOf("b"), error.Problem);
    }

    [Fact]
    public void AFileAndASymlinkOnOnePathConflict()
    {
        _tree.Write("a");
        Assert.Contains("a symlink to 'b'",
            Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/x: ->b\n/x: a\n"))).Problem);
    }

    [Fact]
    public void NothingMayLieBeneathAFile()
    {
        _tree.Write("a");
        ManifestException error = Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/x: a\n/x/y: a\n")));
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("beneath '/x'", error.Problem);
    }

    [Fact]
    public void AFileMayNotReplaceAnImpliedDirectory()
    {
        _tree.Write("a");
        ManifestException error = Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/x/y: a\n/x: a\n")));
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("already a directory", error.Problem);
    }

    [Fact]
    public void AnExplicitFileClashingWithATreeFileIsAConflict()
    {
        _tree.Write("lib/z.so");
        _tree.Write("other.so");
        Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/lib/**: lib/**\n/lib/z.so: other.so\n")));
    }

    [Fact]
    public void ErrorsUseTheManifestPathAsGiven() =>
        Assert.StartsWith("conf/bad.manifest:2: ",
            Assert.Throws<ManifestException>(() => ImageManifest.Parse("[manifest]\nrelative: x\n", "conf/bad.manifest", _tree.Root)).Message);

    [Fact]
    public void ASymlinkLoopIsAMissingFile()
    {
        File.CreateSymbolicLink(_tree.PathOf("loop"), _tree.PathOf("loop"));
        Assert.Contains("does not exist", Assert.Throws<ManifestException>(() => ImageManifest.Load(WriteManifest("/l: loop\n"))).Problem);
    }
}
