namespace Osv.Vfs.Vfs;

/// <summary>fcntl(2) commands and descriptor flags, Linux values.</summary>
public static class FcntlCommands
{
    public const int DuplicateDescriptor = 0;
    public const int GetDescriptorFlags = 1;
    public const int SetDescriptorFlags = 2;
    public const int GetStatusFlags = 3;
    public const int SetStatusFlags = 4;
    public const int DuplicateDescriptorCloseOnExec = 1030;

    /// <summary>FD_CLOEXEC, the one descriptor flag.</summary>
    public const int CloseOnExecFlag = 1;
}
