using System;
using System.IO;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Build;

/// <summary>
/// Lets `osv run` skip the build on an unchanged tree: the image is fresh when it is newer than
/// every file and directory under src/ and tests/apps/ (build outputs in obj/ and bin/ excluded) and than Directory.Build.props.
/// </summary>
public static class ImageFreshness
{
    public static bool IsUpToDate(RepositoryLayout layout)
    {
        if (!File.Exists(layout.Image))
            return false;
        DateTime imageTime = File.GetLastWriteTimeUtc(layout.Image);
        string buildProps = Path.Combine(layout.Root, "Directory.Build.props");
        if (File.Exists(buildProps) && File.GetLastWriteTimeUtc(buildProps) >= imageTime)
            return false;
        // The image's bootfs holds the default application, built from tests/apps.
        string applications = Path.Combine(layout.Root, "tests", "apps");
        if (Directory.Exists(applications) && HasNewerFile(new DirectoryInfo(applications), imageTime))
            return false;
        return !Directory.Exists(layout.SourceDirectory) || !HasNewerFile(new DirectoryInfo(layout.SourceDirectory), imageTime);
    }

    private static bool HasNewerFile(DirectoryInfo directory, DateTime imageTime)
    {
        // A directory's own time changes when a file in it is added, renamed or deleted.
        if (directory.LastWriteTimeUtc >= imageTime)
            return true;
        foreach (FileInfo file in directory.EnumerateFiles())
        {
            if (file.LastWriteTimeUtc >= imageTime)
                return true;
        }
        foreach (DirectoryInfo child in directory.EnumerateDirectories())
        {
            if (child.Name is "obj" or "bin" || child.Name.StartsWith('.'))
                continue;
            if (HasNewerFile(child, imageTime))
                return true;
        }
        return false;
    }
}
