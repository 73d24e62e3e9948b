using System;
using Osv.Arch.X64;
using Osv.Core.Linux;
using Osv.Vfs.Vfs;
using Errno = Osv.Vfs.Vfs.Errno;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.FileSystems
{
    /// <summary>
    /// chmod, fchmod, fchmodat and fchmodat2 (Linux 6.6: fchmodat with flags, which glibc's lchmod and
    /// fchmodat with AT_SYMLINK_NOFOLLOW use). The mode's low 12 bits reach the file system
    /// (<see cref="ProcessFiles.ChangeModeAt"/>); higher bits are ignored, as Linux does.
    /// </summary>
    internal static unsafe class PermissionCalls
    {
        public static void Register()
        {
            LinuxSystemCalls.Register(N.Chmod, &Chmod);
            LinuxSystemCalls.Register(N.Fchmod, &FileChmod);
            LinuxSystemCalls.Register(N.Fchmodat, &ChmodAt);
            LinuxSystemCalls.Register(N.Fchmodat2, &ChmodAt2);
        }

        private static long Chmod(SystemCallFrame* f) => ByPath(AtFlags.CurrentDirectory, f->Argument0, (uint)f->Argument1, 0);

        private static long FileChmod(SystemCallFrame* f) => KernelFiles.Process!.FileChangeMode((int)f->Argument0, (uint)f->Argument1);

        // fchmodat has no flags argument: whatever is in the fourth register is not looked at.
        private static long ChmodAt(SystemCallFrame* f) => ByPath((int)f->Argument0, f->Argument1, (uint)f->Argument2, 0);

        private static long ChmodAt2(SystemCallFrame* f) => ByPath((int)f->Argument0, f->Argument1, (uint)f->Argument2, (int)f->Argument3);

        private static long ByPath(int directory, long pathAddress, uint mode, int flags)
        {
            if ((flags & ~(AtFlags.SymlinkNoFollow | AtFlags.EmptyPath)) != 0)
                return -Errno.EINVAL; // before the path is read, as Linux does
            long status = FileSystemCalls.UserPath(pathAddress, out ReadOnlySpan<byte> path);
            return status != 0 ? status : KernelFiles.Process!.ChangeModeAt(directory, path, mode, flags);
        }
    }
}
