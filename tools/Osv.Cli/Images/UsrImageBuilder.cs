using System.Linq;
using System.Collections.Generic;
using System.IO;
using Osv.Cli.Infrastructure;
using Osv.Vfs.Images.Host;
using Osv.Vfs.Manifest.Host;
using Osv.Vfs.Rofs.Host;

namespace Osv.Cli.Images;

/// <summary>What <see cref="UsrImageBuilder"/> wrote.</summary>
public sealed record UsrImage(string Path, int Files, int Directories, int Symlinks, long FileSystemBytes, DiskImageLayout Layout);

/// <summary>
/// `osv build --manifest FILE`: the manifest's tree as a rofs file system on partition 1 of an MBR
/// disk image (build/&lt;arch&gt;/usr.img), written with the same format code the kernel reads it with.
/// </summary>
public static class UsrImageBuilder
{
    /// <param name="defaultApplication">A host file put at /hello unless the manifest names /hello itself
    /// (an image always holds the default application, as the kernel image's bootfs does), or null.</param>
    public static UsrImage Build(string manifestPath, string outputPath, string? defaultApplication = null)
    {
        if (!File.Exists(manifestPath))
            throw new OsvException($"manifest {manifestPath} does not exist");
        IReadOnlyList<ManifestEntry> entries;
        try
        {
            entries = ImageManifest.Load(manifestPath);
        }
        catch (ManifestException problem)
        {
            throw new OsvException(problem.Message);
        }

        var tree = new RofsSourceTree();
        int files = 0, directories = 0, symlinks = 0;
        foreach (ManifestEntry entry in entries)
        {
            switch (entry.Kind)
            {
                case ManifestEntryKind.Directory:
                    tree.AddDirectory(entry.GuestPath);
                    directories++;
                    break;
                case ManifestEntryKind.File:
                    tree.AddHostFile(entry.GuestPath, entry.HostPath!);
                    files++;
                    break;
                case ManifestEntryKind.Symlink:
                    tree.AddSymlink(entry.GuestPath, entry.LinkTarget!);
                    symlinks++;
                    break;
            }
        }

        if (defaultApplication != null && !entries.Any(entry => entry.GuestPath == DefaultApplication.GuestPath))
        {
            tree.AddHostFile(DefaultApplication.GuestPath, defaultApplication);
            files++;
        }
        AddSystemEntries(tree, entries);

        byte[] fileSystem;
        try
        {
            fileSystem = RofsImageWriter.Build(tree);
        }
        catch (IOException problem)
        {
            throw new OsvException($"{manifestPath}: {problem.Message}");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        DiskImageLayout layout = DiskImageBuilder.Write(outputPath, fileSystem);
        return new UsrImage(outputPath, files, directories, symlinks, fileSystem.Length, layout);
    }

    /// <summary>Mount points the kernel needs on a read-only root (/dev, /proc, /sys, /tmp) and /etc/mtab -> /proc/mounts, unless the manifest has them; not counted in <see cref="UsrImage"/>.</summary>
    public static readonly string[] SystemDirectories = { "/dev", "/proc", "/sys", "/tmp" };

    public static void AddSystemEntries(RofsSourceTree tree, IReadOnlyList<ManifestEntry> entries)
    {
        var present = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (ManifestEntry entry in entries)
            present.Add(entry.GuestPath);
        foreach (string directory in SystemDirectories)
        {
            if (present.Add(directory))
                tree.AddDirectory(directory);
        }
        if (!present.Contains("/etc/mtab"))
        {
            if (present.Add("/etc"))
                tree.AddDirectory("/etc");
            tree.AddSymlink("/etc/mtab", "/proc/mounts");
        }
    }
}
