namespace Osv.Vfs.Vfs;

/// <summary>
/// A process's descriptors: slot i names an <see cref="OpenFile"/> (one reference each) and
/// carries FD_CLOEXEC. New descriptors take the lowest free slot at or above the asked minimum;
/// there are at most <see cref="Limit"/> (RLIMIT_NOFILE). Its own lock guards the slots; open files
/// are released after it is dropped, since closing may wake pipe peers.
/// </summary>
public sealed class FileDescriptorTable
{
    public const int DefaultLimit = 1024;

    private readonly IVfsLock _lock;
    private OpenFile?[] _files;
    private bool[] _closeOnExec;

    public FileDescriptorTable(IVfsLock tableLock, int limit = DefaultLimit)
    {
        _lock = tableLock;
        Limit = limit;
        int initial = limit < 64 ? limit : 64;
        _files = new OpenFile?[initial];
        _closeOnExec = new bool[initial];
    }

    public int Limit { get; }

    /// <summary>Descriptors in use.</summary>
    public int Count
    {
        get
        {
            _lock.Acquire();
            int count = 0;
            for (int i = 0; i < _files.Length; i++)
            {
                if (_files[i] is not null)
                    count++;
            }
            _lock.Release();
            return count;
        }
    }

    /// <summary>
    /// Gives <paramref name="file"/> (the caller's reference moves in) the lowest free descriptor
    /// >= <paramref name="lowest"/>. -EMFILE (the reference is then released), -EINVAL for a bad minimum.
    /// </summary>
    public long Install(OpenFile file, int lowest, bool closeOnExec)
    {
        if (lowest < 0 || lowest >= Limit)
        {
            file.Release();
            return lowest < 0 ? -Errno.EINVAL : -Errno.EMFILE;
        }
        _lock.Acquire();
        int descriptor = -1;
        for (int i = lowest; i < Limit; i++)
        {
            if (i >= _files.Length && !Grow(i + 1))
                break;
            if (_files[i] is null)
            {
                descriptor = i;
                break;
            }
        }
        if (descriptor >= 0)
        {
            _files[descriptor] = file;
            _closeOnExec[descriptor] = closeOnExec;
        }
        _lock.Release();
        if (descriptor < 0)
        {
            file.Release();
            return -Errno.EMFILE;
        }
        return descriptor;
    }

    /// <summary>The open file behind <paramref name="descriptor"/>, held (release it), or -EBADF.</summary>
    public long Get(int descriptor, out OpenFile? file)
    {
        _lock.Acquire();
        file = descriptor >= 0 && descriptor < _files.Length ? _files[descriptor] : null;
        file?.Hold();
        _lock.Release();
        return file is null ? -Errno.EBADF : 0;
    }

    public long Close(int descriptor)
    {
        _lock.Acquire();
        OpenFile? file = descriptor >= 0 && descriptor < _files.Length ? _files[descriptor] : null;
        if (file is not null)
            _files[descriptor] = null;
        _lock.Release();
        if (file is null)
            return -Errno.EBADF;
        file.Release();
        return 0;
    }

    /// <summary>dup / F_DUPFD: a new descriptor >= <paramref name="lowest"/> for the same open file.</summary>
    public long Duplicate(int descriptor, int lowest, bool closeOnExec)
    {
        long status = Get(descriptor, out OpenFile? file);
        return status != 0 ? status : Install(file!, lowest, closeOnExec);
    }

    /// <summary>
    /// dup2/dup3: makes <paramref name="target"/> name <paramref name="descriptor"/>'s open file,
    /// closing what it named. Same descriptor: dup2 returns it, dup3 is -EINVAL.
    /// </summary>
    public long DuplicateTo(int descriptor, int target, bool closeOnExec, bool isDup3)
    {
        long status = Get(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        if (target < 0 || target >= Limit)
        {
            file!.Release();
            return -Errno.EBADF;
        }
        if (target == descriptor)
        {
            file!.Release();
            return isDup3 ? -Errno.EINVAL : target;
        }
        _lock.Acquire();
        OpenFile? previous = null;
        bool grown = target < _files.Length || Grow(target + 1);
        if (grown)
        {
            previous = _files[target];
            _files[target] = file;
            _closeOnExec[target] = closeOnExec;
        }
        _lock.Release();
        if (!grown)
        {
            file!.Release();
            return -Errno.ENOMEM;
        }
        previous?.Release();
        return target;
    }

    /// <summary>F_GETFD: FD_CLOEXEC or 0, or -EBADF.</summary>
    public long GetDescriptorFlags(int descriptor)
    {
        _lock.Acquire();
        long result = descriptor >= 0 && descriptor < _files.Length && _files[descriptor] is not null
            ? (_closeOnExec[descriptor] ? FcntlCommands.CloseOnExecFlag : 0)
            : -Errno.EBADF;
        _lock.Release();
        return result;
    }

    /// <summary>F_SETFD.</summary>
    public long SetDescriptorFlags(int descriptor, int flags)
    {
        _lock.Acquire();
        long result = -Errno.EBADF;
        if (descriptor >= 0 && descriptor < _files.Length && _files[descriptor] is not null)
        {
            _closeOnExec[descriptor] = (flags & FcntlCommands.CloseOnExecFlag) != 0;
            result = 0;
        }
        _lock.Release();
        return result;
    }

    /// <summary>Closes every descriptor marked FD_CLOEXEC (what exec does).</summary>
    public void CloseOnExec()
    {
        for (int i = 0; i < _files.Length; i++)
        {
            if (GetDescriptorFlags(i) == FcntlCommands.CloseOnExecFlag)
                Close(i);
        }
    }

    /// <summary>Closes every descriptor and frees the table's arrays.</summary>
    public void Dispose()
    {
        for (int i = 0; i < _files.Length; i++)
            Close(i);
        ObjectRelease.Free(_files);
        ObjectRelease.Free(_closeOnExec);
        _files = new OpenFile?[0];
        _closeOnExec = new bool[0];
    }

    private bool Grow(int needed)
    {
        int size = _files.Length * 2;
        if (size < needed)
            size = needed;
        if (size > Limit)
            size = Limit;
        var files = new OpenFile?[size];
        var closeOnExec = new bool[size];
        for (int i = 0; i < _files.Length; i++)
        {
            files[i] = _files[i];
            closeOnExec[i] = _closeOnExec[i];
        }
        ObjectRelease.Free(_files);
        ObjectRelease.Free(_closeOnExec);
        _files = files;
        _closeOnExec = closeOnExec;
        return true;
    }
}
