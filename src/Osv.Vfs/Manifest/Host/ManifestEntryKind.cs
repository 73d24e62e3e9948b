namespace Osv.Vfs.Manifest.Host;

public enum ManifestEntryKind
{
    Directory,
    File,
    Symlink,
}
