using System;
using Osv.Arch.X64;
using Osv.Core.Linux;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;
using Errno = Osv.Vfs.Vfs.Errno;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.FileSystems
{
    /// <summary>
    /// chown, fchown, lchown and fchownat. The file systems keep no owners: every file belongs to root
    /// (uid 0, gid 0), the identity programs run as. So a call that keeps the owner and group as they
    /// are (-1, or the ids stat reports) succeeds, and one that asks for another owner is EPERM, after
    /// the usual checks that the file exists.
    /// </summary>
    internal static unsafe class OwnershipCalls
    {
        private const uint Unchanged = uint.MaxValue;

        public static void Register()
        {
            LinuxSystemCalls.Register(N.Chown, &Chown);
            LinuxSystemCalls.Register(N.Fchown, &FileChown);
            LinuxSystemCalls.Register(N.Lchown, &LinkChown);
            LinuxSystemCalls.Register(N.Fchownat, &ChownAt);
        }

        private static long Chown(SystemCallFrame* f) => ByPath(AtFlags.CurrentDirectory, f->Argument0, (uint)f->Argument1, (uint)f->Argument2, 0);

        private static long LinkChown(SystemCallFrame* f) => ByPath(AtFlags.CurrentDirectory, f->Argument0, (uint)f->Argument1, (uint)f->Argument2, AtFlags.SymlinkNoFollow);

        private static long ChownAt(SystemCallFrame* f) => ByPath((int)f->Argument0, f->Argument1, (uint)f->Argument2, (uint)f->Argument3, (int)f->Argument4);

        private static long FileChown(SystemCallFrame* f)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (files == null)
                return -Errno.EBADF;
            long status = files.FileStat((int)f->Argument0, out LinuxStat stat);
            return status < 0 ? status : Decide(stat, (uint)f->Argument1, (uint)f->Argument2);
        }

        private static long ByPath(int directory, long pathAddress, uint owner, uint group, int flags)
        {
            ProcessFiles? files = KernelFiles.Process;
            if (files == null)
                return -Errno.ENOENT;
            if ((flags & ~(AtFlags.SymlinkNoFollow | AtFlags.EmptyPath)) != 0)
                return -Errno.EINVAL;
            long status = FileSystemCalls.UserPath(pathAddress, out ReadOnlySpan<byte> path);
            if (status != 0)
                return status;
            status = files.StatAt(directory, path, out LinuxStat stat, flags);
            return status < 0 ? status : Decide(stat, owner, group);
        }

        private static long Decide(in LinuxStat stat, uint owner, uint group) =>
            (owner == Unchanged || owner == stat.UserId) && (group == Unchanged || group == stat.GroupId) ? 0 : -Errno.EPERM;
    }
}
