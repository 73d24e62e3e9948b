namespace Osv.Vfs.Rofs;

/// <summary>
/// The outcome of a rofs operation: a status and, when it is not <see cref="RofsStatus.Ok"/>, where
/// the problem is — the structure, its index (entry or symlink index, inode number, or superblock
/// field offset) and the byte offset on the device — plus the device's errno for failed reads.
/// </summary>
public readonly struct RofsResult
{
    public RofsResult(RofsStatus status, RofsStructure structure, ulong index, ulong offset, int errno)
    {
        Status = status;
        Structure = structure;
        Index = index;
        Offset = offset;
        Errno = errno;
    }

    public static RofsResult Ok => default;

    public RofsStatus Status { get; }
    public RofsStructure Structure { get; }
    public ulong Index { get; }
    public ulong Offset { get; }

    /// <summary>The negative errno a failed device read returned; 0 otherwise.</summary>
    public int Errno { get; }

    public bool IsOk => Status == RofsStatus.Ok;

    public static RofsResult Fail(RofsStatus status, RofsStructure structure, ulong index, ulong offset) =>
        new RofsResult(status, structure, index, offset, 0);

    public static RofsResult DeviceFailure(ulong offset, int errno) =>
        new RofsResult(RofsStatus.DeviceReadFailed, RofsStructure.Device, 0, offset, errno);
}
