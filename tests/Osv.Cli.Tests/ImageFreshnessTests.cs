using System;
using System.IO;
using Osv.Cli.Build;
using Osv.Cli.Infrastructure;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class ImageFreshnessTests
{
    private static RepositoryLayout Repository(TempDirectory temp, DateTime sourceTime, DateTime imageTime)
    {
        var layout = new RepositoryLayout(temp.Path);
        string source = Path.Combine(layout.SourceDirectory, "Osv.Kernel", "Kernel.cs");
        string buildOutput = Path.Combine(layout.SourceDirectory, "Osv.Kernel", "obj", "generated.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(buildOutput)!);
        Directory.CreateDirectory(layout.ArchBuildDirectory);
        File.WriteAllText(source, "");
        File.WriteAllText(buildOutput, "");
        File.WriteAllText(layout.Image, "");
        foreach (string directory in new[] { layout.SourceDirectory, Path.GetDirectoryName(source)!, Path.GetDirectoryName(buildOutput)! })
            Directory.SetLastWriteTimeUtc(directory, sourceTime);
        File.SetLastWriteTimeUtc(source, sourceTime);
        File.SetLastWriteTimeUtc(buildOutput, imageTime.AddHours(1)); // build outputs never count
        File.SetLastWriteTimeUtc(layout.Image, imageTime);
        return layout;
    }

    [Fact]
    public void AnImageNewerThanAllSourcesIsUpToDate()
    {
        using var temp = new TempDirectory();
        RepositoryLayout layout = Repository(temp, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(-5));

        Assert.True(ImageFreshness.IsUpToDate(layout));
    }

    [Fact]
    public void AnEditedSourceMakesTheImageStale()
    {
        using var temp = new TempDirectory();
        RepositoryLayout layout = Repository(temp, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(-5));

        Assert.False(ImageFreshness.IsUpToDate(layout));
    }

    [Fact]
    public void AMissingImageIsStale()
    {
        using var temp = new TempDirectory();

        Assert.False(ImageFreshness.IsUpToDate(new RepositoryLayout(temp.Path)));
    }
}
