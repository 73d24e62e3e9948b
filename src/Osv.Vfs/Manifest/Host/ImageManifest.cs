using System.Collections.Generic;
using System.IO;

namespace Osv.Vfs.Manifest.Host;

/// <summary>
/// Reads an OSv-style manifest (syntax: <see cref="ManifestLineParser"/>) into the sorted list of
/// what an image holds. Host paths are relative to the manifest's folder unless absolute; every
/// host file must exist when the manifest is read. Recursive lines walk the host tree (empty
/// directories included); symlinked directories inside a walked tree are not followed, as OSv's
/// os.walk does not, and symlinked files are copied as the files they point to.
/// </summary>
public static class ImageManifest
{
    /// <exception cref="ManifestException">The first problem, as <c>file:line: problem</c>.</exception>
    public static IReadOnlyList<ManifestEntry> Load(string manifestPath)
    {
        string fullPath = Path.GetFullPath(manifestPath);
        return Parse(File.ReadAllText(fullPath), manifestPath, Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>Parses manifest text; <paramref name="manifestPath"/> names it in errors, <paramref name="hostBaseDirectory"/> anchors relative host paths.</summary>
    /// <exception cref="ManifestException">The first problem, as <c>file:line: problem</c>.</exception>
    public static IReadOnlyList<ManifestEntry> Parse(string text, string manifestPath, string hostBaseDirectory)
    {
        ImageEntrySet entries = new ImageEntrySet(manifestPath);
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            ManifestLine? line = ManifestLineParser.Parse(lines[i], i + 1, manifestPath);
            if (line is null)
                continue;
            if (line.Kind == ManifestLineKind.Symlink)
            {
                entries.Add(new ManifestEntry(line.GuestPath, ManifestEntryKind.Symlink, null, line.Source, line.LineNumber));
                continue;
            }
            string hostPath = Path.GetFullPath(Path.Combine(hostBaseDirectory, line.Source));
            if (line.Kind == ManifestLineKind.RecursiveCopy)
                AddTree(entries, line, hostPath, manifestPath);
            else if (IsReadableFile(new FileInfo(hostPath)))
                entries.Add(new ManifestEntry(line.GuestPath, ManifestEntryKind.File, hostPath, null, line.LineNumber));
            else if (Directory.Exists(hostPath))
                entries.Add(new ManifestEntry(line.GuestPath, ManifestEntryKind.Directory, hostPath, null, line.LineNumber));
            else
                throw new ManifestException(manifestPath, line.LineNumber, "host file '" + line.Source + "' (" + hostPath + ") does not exist");
        }
        return entries.ToSortedList();
    }

    private static void AddTree(ImageEntrySet entries, ManifestLine line, string hostDirectory, string manifestPath)
    {
        if (!Directory.Exists(hostDirectory))
            throw new ManifestException(manifestPath, line.LineNumber, "host directory '" + line.Source + "' (" + hostDirectory + ") does not exist");
        entries.Add(new ManifestEntry(line.GuestPath, ManifestEntryKind.Directory, hostDirectory, null, line.LineNumber));
        AddTreeContents(entries, line, hostDirectory, line.GuestPath, manifestPath);
    }

    private static void AddTreeContents(ImageEntrySet entries, ManifestLine line, string hostDirectory, string guestDirectory, string manifestPath)
    {
        foreach (FileSystemInfo item in new DirectoryInfo(hostDirectory).EnumerateFileSystemInfos())
        {
            string guestPath = GuestPaths.Combine(guestDirectory, item.Name);
            if (item is DirectoryInfo directory)
            {
                if (directory.LinkTarget is not null)
                    continue; // not followed: a link may loop, and OSv's walk skips it too
                entries.Add(new ManifestEntry(guestPath, ManifestEntryKind.Directory, directory.FullName, null, line.LineNumber));
                AddTreeContents(entries, line, directory.FullName, guestPath, manifestPath);
            }
            else if (IsReadableFile((FileInfo)item))
            {
                entries.Add(new ManifestEntry(guestPath, ManifestEntryKind.File, item.FullName, null, line.LineNumber));
            }
            else
            {
                throw new ManifestException(manifestPath, line.LineNumber, "'" + item.FullName + "' in the tree is a dangling symlink");
            }
        }
    }

    /// <summary>A file, or a symlink whose final target is one (File.Exists is true for a dangling link).</summary>
    private static bool IsReadableFile(FileInfo file)
    {
        if (!file.Exists)
            return false;
        try
        {
            return file.LinkTarget is null || file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true };
        }
        catch (IOException)
        {
            return false; // a symlink loop
        }
    }
}
