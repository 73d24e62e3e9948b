using Osv.Vfs.Vfs.Abi;

namespace Osv.Vfs.Vfs;

/// <summary>
/// fcntl's POSIX record locks (F_GETLK, F_SETLK, F_SETLKW). They belong to a process, a process never
/// conflicts with its own locks, and every program here is the one process: so a well-formed request
/// on a descriptor open for the access the lock needs always succeeds at once, and F_GETLK always
/// answers F_UNLCK (no other process holds a lock). That is Linux's answer for a single process, not
/// an approximation. Open-file-description locks (F_OFD_*), which can conflict inside one process,
/// are not offered (EINVAL).
/// </summary>
public sealed unsafe partial class ProcessFiles
{
    public const int GetLock = 5, SetLock = 6, SetLockWait = 7;

    public long RecordLock(int descriptor, int command, ref FileLock request)
    {
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        int flags = file!.Flags;
        file.Release();
        if (request.Whence < 0 || request.Whence > 2)
            return -Errno.EINVAL;
        switch (request.Type)
        {
            case FileLock.Read:
                if (command != GetLock && !OpenFlags.CanRead(flags))
                    return -Errno.EBADF;
                break;
            case FileLock.Write:
                if (command != GetLock && !OpenFlags.CanWrite(flags))
                    return -Errno.EBADF;
                break;
            case FileLock.Unlock:
                if (command == GetLock)
                    return -Errno.EINVAL;
                break;
            default:
                return -Errno.EINVAL;
        }
        if (command == GetLock)
            request.Type = FileLock.Unlock;
        return 0;
    }
}
