namespace Osv.Vfs.Bootfs;

public enum BootfsEntryKind
{
    RegularFile,
    Directory,
    Symlink,
}
