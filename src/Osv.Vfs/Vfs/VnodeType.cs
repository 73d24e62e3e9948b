namespace Osv.Vfs.Vfs;

/// <summary>What a vnode is; the st_mode type bits follow from it (<see cref="FileModes.TypeBits"/>).</summary>
public enum VnodeType : byte
{
    Unknown = 0,
    Regular,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
