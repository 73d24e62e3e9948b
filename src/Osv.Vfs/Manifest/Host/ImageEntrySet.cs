using System;
using System.Collections.Generic;
using System.Linq;

namespace Osv.Vfs.Manifest.Host;

/// <summary>
/// The image's entries by guest path, with every parent directory implied. A guest path may be
/// given twice only with the same meaning; anything else is a conflict naming both lines.
/// </summary>
internal sealed class ImageEntrySet
{
    private readonly Dictionary<string, ManifestEntry> _entries = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
    private readonly string _manifestPath;

    public ImageEntrySet(string manifestPath) => _manifestPath = manifestPath;

    public void Add(ManifestEntry entry)
    {
        AddParents(entry.GuestPath, entry.LineNumber);
        if (!_entries.TryGetValue(entry.GuestPath, out ManifestEntry? existing))
        {
            _entries.Add(entry.GuestPath, entry);
            return;
        }
        if (existing.Kind == ManifestEntryKind.Directory && entry.Kind == ManifestEntryKind.Directory)
        {
            if (existing.HostPath is null && entry.HostPath is not null)
                _entries[entry.GuestPath] = entry; // a named directory replaces an implied one
            return;
        }
        if (existing.Kind == entry.Kind && existing.HostPath == entry.HostPath && existing.LinkTarget == entry.LinkTarget)
            return;
        throw new ManifestException(_manifestPath, entry.LineNumber,
            "guest path '" + entry.GuestPath + "' is already " + Describe(existing) + " (line " + existing.LineNumber + "); this line makes it " + Describe(entry));
    }

    /// <summary>All entries but the root, sorted by guest path (ordinal, so parents come first).</summary>
    public IReadOnlyList<ManifestEntry> ToSortedList() =>
        _entries.Values.Where(e => e.GuestPath != GuestPaths.Root).OrderBy(e => e.GuestPath, StringComparer.Ordinal).ToList();

    private void AddParents(string guestPath, int lineNumber)
    {
        for (string? parent = GuestPaths.Parent(guestPath); parent is not null; parent = GuestPaths.Parent(parent))
        {
            if (_entries.TryGetValue(parent, out ManifestEntry? existing))
            {
                if (existing.Kind != ManifestEntryKind.Directory)
                    throw new ManifestException(_manifestPath, lineNumber,
                        "'" + guestPath + "' would lie beneath '" + parent + "', which is " + Describe(existing) + " (line " + existing.LineNumber + ")");
                continue; // its own parents are there already
            }
            _entries.Add(parent, new ManifestEntry(parent, ManifestEntryKind.Directory, null, null, lineNumber));
        }
    }

    private static string Describe(ManifestEntry entry) => entry.Kind switch
    {
        ManifestEntryKind.File => "the file '" + entry.HostPath + "'",
        ManifestEntryKind.Symlink => "a symlink to '" + entry.LinkTarget + "'",
        _ => "a directory",
    };
}
