namespace Osv.Vfs.Manifest.Host;

/// <summary>
/// One thing the image will hold. <see cref="HostPath"/> is the absolute host file to copy (files),
/// or the host directory it came from (directories named or walked by the manifest; null for
/// parent directories the manifest only implies). <see cref="LinkTarget"/> is set for symlinks only.
/// <see cref="LineNumber"/> is the manifest line that produced the entry (for implied parents, the
/// first line that needed them).
/// </summary>
public sealed record ManifestEntry(string GuestPath, ManifestEntryKind Kind, string? HostPath, string? LinkTarget, int LineNumber);
