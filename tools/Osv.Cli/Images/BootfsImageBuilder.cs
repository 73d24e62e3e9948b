using System.Collections.Generic;
using System.IO;
using Osv.Cli.Infrastructure;
using Osv.Vfs.Bootfs.Host;
using Osv.Vfs.Manifest.Host;

namespace Osv.Cli.Images;

/// <summary>What <see cref="BootfsImageBuilder"/> packed.</summary>
public sealed record BootfsImage(byte[] Archive, int Files, int Directories, int Symlinks);

/// <summary>
/// `osv build --bootfs-manifest FILE`: the manifest's tree as a bootfs archive, which the build puts in
/// the kernel image's .bootfs section and the kernel unpacks into its ramfs root at boot.
/// </summary>
public static class BootfsImageBuilder
{
    public static BootfsImage Build(string manifestPath)
    {
        if (!File.Exists(manifestPath))
            throw new OsvException($"bootfs manifest {manifestPath} does not exist");
        IReadOnlyList<ManifestEntry> entries;
        try
        {
            entries = ImageManifest.Load(manifestPath);
        }
        catch (ManifestException problem)
        {
            throw new OsvException(problem.Message);
        }
        // OSv's bootfs names are relative ("usr/lib/x"); the kernel unpacks them under "/".
        var writer = new BootfsArchiveWriter();
        int files = 0, directories = 0, symlinks = 0;
        foreach (ManifestEntry entry in entries)
        {
            switch (entry.Kind)
            {
                case ManifestEntryKind.Directory:
                    writer.AddDirectory(entry.GuestPath.TrimStart('/'));
                    directories++;
                    break;
                case ManifestEntryKind.File:
                    writer.AddHostFile(entry.GuestPath.TrimStart('/'), entry.HostPath!);
                    files++;
                    break;
                case ManifestEntryKind.Symlink:
                    writer.AddSymlink(entry.GuestPath.TrimStart('/'), entry.LinkTarget!);
                    symlinks++;
                    break;
            }
        }
        try
        {
            return new BootfsImage(writer.Build(), files, directories, symlinks);
        }
        catch (IOException problem)
        {
            throw new OsvException($"{manifestPath}: {problem.Message}");
        }
    }
}
