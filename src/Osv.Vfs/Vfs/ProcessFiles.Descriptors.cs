using System;
using Osv.Vfs.Pipes;
using Osv.Vfs.Vfs.Abi;

namespace Osv.Vfs.Vfs;

// dup/dup2/dup3, pipe/pipe2, fcntl, ioctl, poll.
public sealed unsafe partial class ProcessFiles
{
    private const uint IoctlSetCloseOnExec = 0x5451;   // FIOCLEX
    private const uint IoctlClearCloseOnExec = 0x5450; // FIONCLEX

    public long Duplicate(int descriptor) => Descriptors.Duplicate(descriptor, 0, closeOnExec: false);

    public long Duplicate2(int descriptor, int target) => Descriptors.DuplicateTo(descriptor, target, closeOnExec: false, isDup3: false);

    /// <summary>dup3: flags 0 or O_CLOEXEC.</summary>
    public long Duplicate3(int descriptor, int target, int flags)
    {
        if ((flags & ~OpenFlags.CloseOnExec) != 0)
            return -Errno.EINVAL;
        return Descriptors.DuplicateTo(descriptor, target, flags != 0, isDup3: true);
    }

    public long Pipe(Span<int> descriptors) => Pipe2(descriptors, 0);

    /// <summary>pipe2: flags O_CLOEXEC, O_NONBLOCK, O_DIRECT. Writes the read end then the write end.</summary>
    public long Pipe2(Span<int> descriptors, int flags)
    {
        if ((flags & ~(OpenFlags.CloseOnExec | OpenFlags.NonBlocking | OpenFlags.Direct)) != 0 || descriptors.Length < 2)
            return -Errno.EINVAL;
        if (_pipes is null)
            return -Errno.ENOSYS;
        long status = _pipes.CreatePipe(out PipeVnode? pipe);
        if (status != 0)
            return status;
        int statusFlags = flags & (OpenFlags.NonBlocking | OpenFlags.Direct);
        bool closeOnExec = (flags & OpenFlags.CloseOnExec) != 0;
        pipe!.Hold();
        pipe.Hold();
        pipe.Open(OpenFlags.ReadOnly);
        pipe.Open(OpenFlags.WriteOnly);
        var readEnd = new OpenFile(pipe, OpenFlags.ReadOnly | statusFlags);
        var writeEnd = new OpenFile(pipe, OpenFlags.WriteOnly | statusFlags);
        long reader = Descriptors.Install(readEnd, 0, closeOnExec);
        if (reader < 0)
        {
            writeEnd.Release();
            return reader;
        }
        long writer = Descriptors.Install(writeEnd, 0, closeOnExec);
        if (writer < 0)
        {
            Descriptors.Close((int)reader);
            return writer;
        }
        descriptors[0] = (int)reader;
        descriptors[1] = (int)writer;
        return 0;
    }

    /// <summary>fcntl: F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL; others -EINVAL.</summary>
    public long Control(int descriptor, int command, long argument)
    {
        switch (command)
        {
            case FcntlCommands.DuplicateDescriptor:
            case FcntlCommands.DuplicateDescriptorCloseOnExec:
                if (argument < 0 || argument >= Descriptors.Limit)
                    return -Errno.EINVAL;
                return Descriptors.Duplicate(descriptor, (int)argument, command == FcntlCommands.DuplicateDescriptorCloseOnExec);
            case FcntlCommands.GetDescriptorFlags:
                return Descriptors.GetDescriptorFlags(descriptor);
            case FcntlCommands.SetDescriptorFlags:
                return Descriptors.SetDescriptorFlags(descriptor, (int)argument);
            case FcntlCommands.GetStatusFlags:
            case FcntlCommands.SetStatusFlags:
                return StatusFlags(descriptor, command == FcntlCommands.SetStatusFlags, (int)argument);
            default:
                return Descriptors.Get(descriptor, out OpenFile? file) != 0 ? -Errno.EBADF : ReleaseAnd(file!, -Errno.EINVAL);
        }
    }

    private long StatusFlags(int descriptor, bool set, int flags)
    {
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        NodeLock.Enter(node);
        if (set)
            file.Flags = (file.Flags & ~OpenFlags.SettableStatusFlags) | (flags & OpenFlags.SettableStatusFlags);
        else
            status = file.Flags | OpenFlags.LargeFile;
        NodeLock.Exit(node);
        file.Release();
        return status;
    }

    private static long ReleaseAnd(OpenFile file, long result)
    {
        file.Release();
        return result;
    }

    /// <summary>ioctl: FIOCLEX/FIONCLEX here, everything else goes to the vnode (-ENOTTY by default).</summary>
    public long Ioctl(int descriptor, uint request, void* argument)
    {
        if (request == IoctlSetCloseOnExec || request == IoctlClearCloseOnExec)
            return Descriptors.SetDescriptorFlags(descriptor, request == IoctlSetCloseOnExec ? FcntlCommands.CloseOnExecFlag : 0);
        long status = GetFile(descriptor, out OpenFile? file);
        if (status != 0)
            return status;
        Vnode node = file!.Node;
        if ((file.Flags & OpenFlags.Path) != 0)
            status = -Errno.EBADF;
        else
        {
            NodeLock.Enter(node);
            status = node.Ioctl(request, argument);
            NodeLock.Exit(node);
        }
        file.Release();
        return status;
    }

    /// <summary>
    /// One readiness pass of poll: fills each revents (POLLNVAL for a bad descriptor, nothing for a
    /// negative one) and returns how many are non-zero. Waiting for readiness is the caller's loop
    /// (the kernel's wait queues), so this never blocks.
    /// </summary>
    public long Poll(Span<PollDescriptor> descriptors)
    {
        long ready = 0;
        for (int i = 0; i < descriptors.Length; i++)
        {
            ref PollDescriptor entry = ref descriptors[i];
            entry.ReturnedEvents = 0;
            if (entry.Descriptor < 0)
                continue;
            if (GetFile(entry.Descriptor, out OpenFile? file) != 0)
                entry.ReturnedEvents = PollEvents.Invalid;
            else
            {
                Vnode node = file!.Node;
                NodeLock.Enter(node);
                entry.ReturnedEvents = node.Poll(entry.Events, file.Flags);
                NodeLock.Exit(node);
                file.Release();
            }
            if (entry.ReturnedEvents != 0)
                ready++;
        }
        return ready;
    }
}
