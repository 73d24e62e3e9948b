using System;
using Osv.Vfs.Pipes;

namespace Osv.Vfs.Vfs;

/// <summary>
/// The file state of one application — descriptor table, current and root directory, umask — and
/// the file system calls on it, each returning a result >= 0 or -errno with Linux's numbers. Paths
/// are byte spans without the NUL (the libc layer strips it). Split by concept into partial files:
/// opening, data transfer, metadata, names, descriptors, directories.
/// </summary>
public sealed unsafe partial class ProcessFiles
{
    private readonly VirtualFileSystem _vfs;
    private readonly PipeFileSystem? _pipes;
    private Vnode _root;
    private Vnode _currentDirectory;
    private uint _umask = 0x12; // 022

    /// <summary>Starts at the name space's root. <paramref name="pipes"/> is where pipe() makes pipes (null: -ENOSYS).</summary>
    public ProcessFiles(VirtualFileSystem vfs, FileDescriptorTable descriptors, PipeFileSystem? pipes)
    {
        _vfs = vfs;
        _pipes = pipes;
        Descriptors = descriptors;
        _root = vfs.Root!;
        _root.Hold();
        _currentDirectory = _root;
        _currentDirectory.Hold();
    }

    public FileDescriptorTable Descriptors { get; }

    public VirtualFileSystem FileSystem => _vfs;

    /// <summary>umask(2): sets the mask, returns the previous one.</summary>
    public long SetUmask(uint mask)
    {
        uint previous = _umask;
        _umask = mask & 0x1FF;
        return previous;
    }

    /// <summary>Closes every descriptor and drops the directories (the descriptor table is freed too).</summary>
    public void Dispose()
    {
        Descriptors.Dispose();
        ObjectRelease.Free(Descriptors);
        _currentDirectory.Release();
        _root.Release();
    }

    /// <summary>
    /// Resolves <paramref name="path"/> relative to <paramref name="directoryDescriptor"/> (AT_FDCWD: the
    /// current directory; ignored for absolute paths). -EBADF for a bad descriptor, -ENOTDIR if it is not
    /// a directory and the path is relative and non-empty.
    /// </summary>
    internal long ResolveAt(int directoryDescriptor, ReadOnlySpan<byte> path, LookupOptions options, Span<byte> nameBuffer, out ResolvedPath resolved)
    {
        resolved = default;
        Vnode start;
        if (directoryDescriptor == AtFlags.CurrentDirectory || (path.Length > 0 && path[0] == '/'))
        {
            start = _currentDirectory;
            start.Hold();
        }
        else
        {
            long status = Descriptors.Get(directoryDescriptor, out OpenFile? file);
            if (status != 0)
                return status;
            start = file!.Node;
            start.Hold();
            file.Release();
            if (!start.IsDirectory && path.Length > 0)
            {
                start.Release();
                return -Errno.ENOTDIR;
            }
        }
        long result = _vfs.Resolve(_root, start, path, options, nameBuffer, out resolved);
        start.Release();
        return result;
    }

    /// <summary>The open file of <paramref name="descriptor"/>, held, or -EBADF.</summary>
    private long GetFile(int descriptor, out OpenFile? file) => Descriptors.Get(descriptor, out file);
}
