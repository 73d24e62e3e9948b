using System;
using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Console;
using Osv.Core.Threads;
using Osv.Kernel.FileSystems;
using Osv.Vfs.Vfs;
using Osv.Vfs.Vfs.Abi;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=vfs`: the file system calls made with the `syscall` instruction (Boot/syscall_probe.asm)
    /// from application-style threads, on ramfs (/tmp), devfs, procfs, pipes and every mounted rofs.
    /// Each rofs tree is printed as `vfs: dir|file|link` lines (files with their size and FNV-1a 64
    /// hash) that the integration tests compare with the tree they built on the host.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread; the checks run on application-style threads
    internal static unsafe class VfsTests
    {
        internal static long Call(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0)
            => SyscallProbe.Call(number, a0, a1, a2, a3, a4, a5);

        private const int ORdOnly = 0, OWrOnly = 1, ORdWr = 2, OCreat = 0x40, OExcl = 0x80, OTrunc = 0x200, ODirectory = 0x10000, ONoFollow = 0x20000;
        private const long AtFdCwd = -100;
        private const int AtRemoveDir = 0x200;

        /// <summary>True when a file system is mounted (there is a root): the suite needs nothing else.</summary>
        public static bool Available => KernelFiles.Process != null;

        public static void Run(ref CheckReport report)
        {
            report.Check("descriptor 1 is /dev/console", OnApplicationThread(&Console));
            report.Check("ramfs /tmp: write, read back, lseek, pread/pwrite, ftruncate, stat, readv/writev", OnApplicationThread(&RamfsData));
            report.Check("ramfs /tmp: mkdir, rename, link, symlink, readlink, getdents64, unlink, rmdir", OnApplicationThread(&RamfsNames));
            report.Check("errno: ENOENT EEXIST ENOTDIR EISDIR EBADF ELOOP ENOTEMPTY EINVAL EFAULT ENAMETOOLONG", OnApplicationThread(&ErrnoValues));
            report.Check("cwd: chdir, getcwd, relative paths, fchdir", OnApplicationThread(&WorkingDirectory));
            report.Check("devfs: null, zero, urandom, console ioctl, block devices", OnApplicationThread(&Devices));
            report.Check("procfs: mounts, /etc/mtab, cpuinfo, meminfo, self/exe, self/maps; sysfs", OnApplicationThread(&Procfs));
            report.Check("pipes: 1 MiB between two threads, EOF, EPIPE, poll", OnApplicationThread(&Pipes));
            report.Check("dup, dup2, dup3, fcntl, umask, statfs, access", OnApplicationThread(&Descriptors));
            report.Check("rofs: every file hashed, directories listed, symlinks read; EROFS", OnApplicationThread(&RofsTrees));
        }

        private static bool OnApplicationThread(delegate*<bool> test) => SyscallProbe.OnApplicationThread(test);

        private static long P(ReadOnlySpan<byte> nulTerminated)
        {
            fixed (byte* p = nulTerminated)
                return (long)p;
        }

        // ---- the checks ----

        private static bool Console()
        {
            ReadOnlySpan<byte> line = "vfs: hello from write(1)\n"u8;
            LinuxStat stat;
            long fstat = Call(N.Fstat, 1, (long)&stat);
            return Expect.Equal("write(1)", line.Length, Call(N.Write, 1, P(line), line.Length))
                & Expect.Equal("fstat(1)", 0, fstat)
                & Expect.Equal("fd 1 is a character device", 0x2000, stat.Mode & 0xF000)
                & Expect.Equal("read(0) at end of input", 0, Call(N.Read, 0, P("x"u8), 0));
        }

        private static bool RamfsData()
        {
            byte* buffer = stackalloc byte[256];
            long fd = Call(N.Open, P("/tmp/data.txt\0"u8), OCreat | ORdWr | OTrunc, 0x1A4);
            bool ok = Expect.InRange("open(O_CREAT)", 3, 1000, fd);
            ok &= Expect.Equal("write", 11, Call(N.Write, fd, P("hello world"u8), 11));
            ok &= Expect.Equal("lseek(0, SEEK_SET)", 0, Call(N.Lseek, fd, 0, 0));
            ok &= Expect.Equal("read", 11, Call(N.Read, fd, (long)buffer, 256));
            ok &= Expect.True("read back", new ReadOnlySpan<byte>(buffer, 11).SequenceEqualTo("hello world"u8));
            ok &= Expect.Equal("pwrite at 6", 5, Call(N.Pwrite64, fd, P("WORLD"u8), 5, 6));
            ok &= Expect.Equal("pread at 6", 5, Call(N.Pread64, fd, (long)buffer, 5, 6));
            ok &= Expect.True("pread back", new ReadOnlySpan<byte>(buffer, 5).SequenceEqualTo("WORLD"u8));
            ok &= Expect.Equal("lseek(SEEK_END)", 11, Call(N.Lseek, fd, 0, 2));
            ok &= Expect.Equal("ftruncate(5)", 0, Call(N.Ftruncate, fd, 5));
            LinuxStat stat;
            ok &= Expect.Equal("stat", 0, Call(N.Stat, P("/tmp/data.txt\0"u8), (long)&stat));
            ok &= Expect.Equal("size after ftruncate", 5, stat.Size);
            ok &= Expect.Equal("regular file", 0x8000, stat.Mode & 0xF000);
            IoVector* vectors = stackalloc IoVector[2];
            byte* a = stackalloc byte[3];
            byte* b = stackalloc byte[8];
            vectors[0].Base = a; vectors[0].Length = 3;
            vectors[1].Base = b; vectors[1].Length = 8;
            ok &= Expect.Equal("lseek 0", 0, Call(N.Lseek, fd, 0, 0));
            ok &= Expect.Equal("readv", 5, Call(N.Readv, fd, (long)vectors, 2));
            ok &= Expect.True("readv split", a[0] == 'h' && a[2] == 'l' && b[0] == 'l' && b[1] == 'o');
            ok &= Expect.Equal("writev", 11, Call(N.Writev, fd, (long)vectors, 2));
            ok &= Expect.Equal("close", 0, Call(N.Close, fd));
            ok &= Expect.Equal("truncate(path, 2)", 0, Call(N.Truncate, P("/tmp/data.txt\0"u8), 2));
            ok &= Expect.Equal("stat", 0, Call(N.Stat, P("/tmp/data.txt\0"u8), (long)&stat));
            ok &= Expect.Equal("size after truncate", 2, stat.Size);
            LinuxStatx statx;
            ok &= Expect.Equal("statx", 0, Call(N.Statx, AtFdCwd, P("/tmp/data.txt\0"u8), 0, 0x7FF, (long)&statx));
            ok &= Expect.Equal("statx size", 2, (long)statx.Size);
            ok &= Expect.Equal("unlink", 0, Call(N.Unlink, P("/tmp/data.txt\0"u8)));
            return ok;
        }

        private static bool RamfsNames()
        {
            bool ok = Expect.Equal("mkdir /tmp/a", 0, Call(N.Mkdir, P("/tmp/a\0"u8), 0x1ED));
            ok &= Expect.Equal("mkdirat /tmp/a/b", 0, Call(N.Mkdirat, AtFdCwd, P("/tmp/a/b\0"u8), 0x1ED));
            long fd = Call(N.Openat, AtFdCwd, P("/tmp/a/f\0"u8), OCreat | OWrOnly, 0x1A4);
            ok &= Expect.InRange("create /tmp/a/f", 3, 1000, fd);
            Call(N.Close, fd);
            ok &= Expect.Equal("rename f -> g", 0, Call(N.Rename, P("/tmp/a/f\0"u8), P("/tmp/a/g\0"u8)));
            ok &= Expect.Equal("renameat g -> b/g", 0, Call(N.Renameat, AtFdCwd, P("/tmp/a/g\0"u8), AtFdCwd, P("/tmp/a/b/g\0"u8)));
            ok &= Expect.Equal("link b/g -> h", 0, Call(N.Link, P("/tmp/a/b/g\0"u8), P("/tmp/a/h\0"u8)));
            LinuxStat stat;
            ok &= Expect.Equal("stat h", 0, Call(N.Stat, P("/tmp/a/h\0"u8), (long)&stat));
            ok &= Expect.Equal("two links", 2, (long)stat.LinkCount);
            ok &= Expect.Equal("symlink", 0, Call(N.Symlink, P("b/g\0"u8), P("/tmp/a/s\0"u8)));
            ok &= Expect.Equal("symlinkat", 0, Call(N.Symlinkat, P("/nowhere\0"u8), AtFdCwd, P("/tmp/a/dangling\0"u8)));
            byte* target = stackalloc byte[64];
            ok &= Expect.Equal("readlink", 3, Call(N.Readlink, P("/tmp/a/s\0"u8), (long)target, 64));
            ok &= Expect.True("readlink text", target[0] == 'b' && target[1] == '/' && target[2] == 'g');
            ok &= Expect.Equal("readlinkat", 8, Call(N.Readlinkat, AtFdCwd, P("/tmp/a/dangling\0"u8), (long)target, 64));
            ok &= Expect.Equal("lstat symlink", 0, Call(N.Lstat, P("/tmp/a/s\0"u8), (long)&stat));
            ok &= Expect.Equal("lstat says symlink", 0xA000, stat.Mode & 0xF000);
            ok &= Expect.Equal("stat follows", 0, Call(N.Stat, P("/tmp/a/s\0"u8), (long)&stat));
            ok &= Expect.Equal("stat says file", 0x8000, stat.Mode & 0xF000);
            byte* names = stackalloc byte[512];
            ok &= Expect.Equal("listing of /tmp/a", 0, CompareListing("/tmp/a\0"u8, ". .. b dangling h s"u8, names));
            ok &= Expect.Equal("unlinkat b/g", 0, Call(N.Unlinkat, AtFdCwd, P("/tmp/a/b/g\0"u8), 0));
            ok &= Expect.Equal("unlinkat AT_REMOVEDIR b", 0, Call(N.Unlinkat, AtFdCwd, P("/tmp/a/b\0"u8), AtRemoveDir));
            ok &= Expect.Equal("unlink h", 0, Call(N.Unlink, P("/tmp/a/h\0"u8)));
            ok &= Expect.Equal("unlink s", 0, Call(N.Unlink, P("/tmp/a/s\0"u8)));
            ok &= Expect.Equal("unlink dangling", 0, Call(N.Unlink, P("/tmp/a/dangling\0"u8)));
            ok &= Expect.Equal("rmdir a", 0, Call(N.Rmdir, P("/tmp/a\0"u8)));
            return ok;
        }

        /// <summary>getdents64 of <paramref name="path"/>, names sorted and space-joined, compared with <paramref name="expected"/>; 0 when equal.</summary>
        private static long CompareListing(ReadOnlySpan<byte> path, ReadOnlySpan<byte> expected, byte* scratch)
        {
            long fd = Call(N.Open, P(path), ORdOnly | ODirectory, 0);
            if (fd < 0)
                return fd;
            byte* joined = stackalloc byte[512];
            int length = ListSorted((int)fd, joined, 512, scratch);
            Call(N.Close, fd);
            if (length < 0)
                return length;
            if (!new ReadOnlySpan<byte>(joined, length).SequenceEqualTo(expected))
            {
                KernelConsole.Write("    listing: ");
                KernelConsole.Write(new ReadOnlySpan<byte>(joined, length));
                KernelConsole.WriteLine();
                return -1;
            }
            return 0;
        }

        /// <summary>Reads every entry (small buffer: several getdents64 calls) and writes the names sorted, space-separated.</summary>
        private static int ListSorted(int fd, byte* output, int capacity, byte* buffer)
        {
            const int MaxNames = 64;
            int* starts = stackalloc int[MaxNames];
            int* lengths = stackalloc int[MaxNames];
            byte* names = stackalloc byte[1024];
            int count = 0, used = 0;
            while (true)
            {
                long got = Call(N.Getdents64, fd, (long)buffer, 96); // small: forces several calls
                if (got < 0)
                    return (int)got;
                if (got == 0)
                    break;
                for (long at = 0; at < got;)
                {
                    ushort recordLength = *(ushort*)(buffer + at + 16);
                    byte* name = buffer + at + 19;
                    int nameLength = 0;
                    while (name[nameLength] != 0)
                        nameLength++;
                    if (count < MaxNames && used + nameLength <= 1024)
                    {
                        new ReadOnlySpan<byte>(name, nameLength).CopyTo(new Span<byte>(names + used, nameLength));
                        starts[count] = used;
                        lengths[count] = nameLength;
                        used += nameLength;
                        count++;
                    }
                    at += recordLength;
                }
            }
            for (int i = 1; i < count; i++)
            {
                for (int j = i; j > 0 && Compare(names + starts[j - 1], lengths[j - 1], names + starts[j], lengths[j]) > 0; j--)
                {
                    int start = starts[j - 1];
                    starts[j - 1] = starts[j];
                    starts[j] = start;
                    int size = lengths[j - 1];
                    lengths[j - 1] = lengths[j];
                    lengths[j] = size;
                }
            }
            int written = 0;
            for (int i = 0; i < count && written + lengths[i] + 1 <= capacity; i++)
            {
                if (i > 0)
                    output[written++] = (byte)' ';
                new ReadOnlySpan<byte>(names + starts[i], lengths[i]).CopyTo(new Span<byte>(output + written, lengths[i]));
                written += lengths[i];
            }
            return written;
        }

        private static int Compare(byte* a, int aLength, byte* b, int bLength)
        {
            for (int i = 0; i < aLength && i < bLength; i++)
            {
                if (a[i] != b[i])
                    return a[i] - b[i];
            }
            return aLength - bLength;
        }

        private static bool ErrnoValues()
        {
            LinuxStat stat;
            byte* buffer = stackalloc byte[16];
            Call(N.Mkdir, P("/tmp/e\0"u8), 0x1ED);
            long fd = Call(N.Open, P("/tmp/e/file\0"u8), OCreat | OWrOnly, 0x1A4);
            Call(N.Close, fd);
            Call(N.Symlink, P("loop2\0"u8), P("/tmp/e/loop1\0"u8));
            Call(N.Symlink, P("loop1\0"u8), P("/tmp/e/loop2\0"u8));
            byte* longPath = stackalloc byte[4200];
            for (int i = 0; i < 4199; i++)
                longPath[i] = (byte)(i % 2 == 0 ? '/' : 'x');
            longPath[4199] = 0;
            bool ok = Expect.Equal("open missing: ENOENT", -Errno.ENOENT, Call(N.Open, P("/tmp/e/missing\0"u8), ORdOnly, 0));
            ok &= Expect.Equal("stat missing parent: ENOENT", -Errno.ENOENT, Call(N.Stat, P("/tmp/nope/x\0"u8), (long)&stat));
            ok &= Expect.Equal("mkdir existing: EEXIST", -Errno.EEXIST, Call(N.Mkdir, P("/tmp/e\0"u8), 0x1ED));
            ok &= Expect.Equal("O_CREAT|O_EXCL existing: EEXIST", -Errno.EEXIST, Call(N.Open, P("/tmp/e/file\0"u8), OCreat | OExcl | OWrOnly, 0x1A4));
            ok &= Expect.Equal("file as a directory: ENOTDIR", -Errno.ENOTDIR, Call(N.Stat, P("/tmp/e/file/x\0"u8), (long)&stat));
            ok &= Expect.Equal("O_DIRECTORY on a file: ENOTDIR", -Errno.ENOTDIR, Call(N.Open, P("/tmp/e/file\0"u8), ORdOnly | ODirectory, 0));
            ok &= Expect.Equal("open a directory for writing: EISDIR", -Errno.EISDIR, Call(N.Open, P("/tmp/e\0"u8), OWrOnly, 0));
            ok &= Expect.Equal("unlink a directory: EISDIR", -Errno.EISDIR, Call(N.Unlink, P("/tmp/e\0"u8)));
            ok &= Expect.Equal("read a closed descriptor: EBADF", -Errno.EBADF, Call(N.Read, 77, (long)buffer, 1));
            ok &= Expect.Equal("close -1: EBADF", -Errno.EBADF, Call(N.Close, -1));
            ok &= Expect.Equal("symlink loop: ELOOP", -Errno.ELOOP, Call(N.Open, P("/tmp/e/loop1\0"u8), ORdOnly, 0));
            ok &= Expect.Equal("O_NOFOLLOW on a symlink: ELOOP", -Errno.ELOOP, Call(N.Open, P("/tmp/e/loop1\0"u8), ORdOnly | ONoFollow, 0));
            ok &= Expect.Equal("rmdir non-empty: ENOTEMPTY", -Errno.ENOTEMPTY, Call(N.Rmdir, P("/tmp/e\0"u8)));
            ok &= Expect.Equal("lseek bad whence: EINVAL", -Errno.EINVAL, Call(N.Lseek, 1, 0, 9));
            ok &= Expect.Equal("stat(NULL): EFAULT", -Errno.EFAULT, Call(N.Stat, 0, (long)&stat));
            ok &= Expect.Equal("stat into page 0: EFAULT", -Errno.EFAULT, Call(N.Stat, P("/tmp\0"u8), 16));
            ok &= Expect.Equal("read into an unmapped buffer: EFAULT", -Errno.EFAULT, Call(N.Read, 0, 0x10, 8));
            ok &= Expect.Equal("path of PATH_MAX bytes: ENAMETOOLONG", -Errno.ENAMETOOLONG, Call(N.Stat, (long)longPath, (long)&stat));
            Call(N.Unlink, P("/tmp/e/loop1\0"u8));
            Call(N.Unlink, P("/tmp/e/loop2\0"u8));
            Call(N.Unlink, P("/tmp/e/file\0"u8));
            ok &= Expect.Equal("rmdir emptied", 0, Call(N.Rmdir, P("/tmp/e\0"u8)));
            return ok;
        }

        private static bool WorkingDirectory()
        {
            byte* path = stackalloc byte[256];
            Call(N.Mkdir, P("/tmp/w\0"u8), 0x1ED);
            bool ok = Expect.Equal("chdir /tmp/w", 0, Call(N.Chdir, P("/tmp/w\0"u8)));
            ok &= Expect.Equal("getcwd length with NUL", 7, Call(N.Getcwd, (long)path, 256));
            ok &= Expect.True("getcwd text", new ReadOnlySpan<byte>(path, 7).SequenceEqualTo("/tmp/w\0"u8));
            ok &= Expect.Equal("getcwd small buffer: ERANGE", -Errno.ERANGE, Call(N.Getcwd, (long)path, 3));
            long fd = Call(N.Open, P("rel\0"u8), OCreat | OWrOnly, 0x1A4);
            ok &= Expect.InRange("create a relative path", 3, 1000, fd);
            Call(N.Close, fd);
            LinuxStat stat;
            ok &= Expect.Equal("stat /tmp/w/rel", 0, Call(N.Stat, P("/tmp/w/rel\0"u8), (long)&stat));
            long root = Call(N.Open, P("/\0"u8), ORdOnly | ODirectory, 0);
            ok &= Expect.Equal("fchdir /", 0, Call(N.Fchdir, root));
            Call(N.Close, root);
            ok &= Expect.Equal("getcwd /", 2, Call(N.Getcwd, (long)path, 256));
            Call(N.Unlink, P("/tmp/w/rel\0"u8));
            Call(N.Rmdir, P("/tmp/w\0"u8));
            return ok;
        }

        private static bool Devices()
        {
            byte* buffer = stackalloc byte[64];
            long nullFd = Call(N.Open, P("/dev/null\0"u8), ORdWr, 0);
            bool ok = Expect.InRange("open /dev/null", 3, 1000, nullFd);
            ok &= Expect.Equal("write /dev/null", 10, Call(N.Write, nullFd, (long)buffer, 10));
            ok &= Expect.Equal("read /dev/null: EOF", 0, Call(N.Read, nullFd, (long)buffer, 10));
            Call(N.Close, nullFd);
            for (int i = 0; i < 64; i++)
                buffer[i] = 0xAA;
            long zeroFd = Call(N.Open, P("/dev/zero\0"u8), ORdOnly, 0);
            ok &= Expect.Equal("read /dev/zero", 64, Call(N.Read, zeroFd, (long)buffer, 64));
            bool zeros = true;
            for (int i = 0; i < 64; i++)
                zeros &= buffer[i] == 0;
            ok &= Expect.True("zeros", zeros);
            Call(N.Close, zeroFd);
            long randomFd = Call(N.Open, P("/dev/urandom\0"u8), ORdOnly, 0);
            ok &= Expect.Equal("read /dev/urandom", 64, Call(N.Read, randomFd, (long)buffer, 64));
            int nonZero = 0;
            for (int i = 0; i < 64; i++)
                nonZero += buffer[i] != 0 ? 1 : 0;
            ok &= Expect.InRange("random bytes", 40, 64, nonZero);
            Call(N.Close, randomFd);
            ok &= Expect.Equal("/dev/random exists", 0, Call(N.Access, P("/dev/random\0"u8), 4));
            ushort* size = (ushort*)buffer;
            ok &= Expect.Equal("TIOCGWINSZ on the console", 0, Call(N.Ioctl, 1, 0x5413, (long)size));
            ok &= Expect.Equal("console rows", 24, size[0]);
            ok &= Expect.Equal("ioctl on /dev/null: ENOTTY", -Errno.ENOTTY, Call(N.Ioctl, nullFd = Call(N.Open, P("/dev/null\0"u8), ORdOnly, 0), 0x5413, (long)size));
            Call(N.Close, nullFd);
            byte* name = stackalloc byte[48];
            for (int i = 0; i < Osv.Drivers.Blk.BlockDeviceRegistry.Count; i++)
            {
                LinuxStat stat;
                ReadOnlySpan<byte> prefix = "/dev/"u8;
                prefix.CopyTo(new Span<byte>(name, 5));
                string deviceName = Osv.Drivers.Blk.BlockDeviceRegistry.At(i)!.Name;
                for (int c = 0; c < deviceName.Length; c++)
                    name[5 + c] = (byte)deviceName[c];
                name[5 + deviceName.Length] = 0;
                ok &= Expect.Equal("stat /dev/vblk*", 0, Call(N.Stat, (long)name, (long)&stat));
                ok &= Expect.Equal("block device", 0x6000, stat.Mode & 0xF000);
                ok &= Expect.Equal("block device major (virtio-blk)", 252, (long)(stat.RepresentedDevice >> 8));
            }
            return ok;
        }

        private static bool Procfs()
        {
            byte* text = stackalloc byte[4096];
            long length = ReadWhole("/proc/mounts\0"u8, text, 4096);
            bool ok = Expect.InRange("read /proc/mounts", 20, 4095, length);
            ReadOnlySpan<byte> mounts = new ReadOnlySpan<byte>(text, (int)(length < 0 ? 0 : length));
            ok &= Expect.True("/proc/mounts has / , /dev, /proc, /sys", Contains(mounts, " / "u8) && Contains(mounts, " /dev devfs rw"u8) && Contains(mounts, " /proc proc rw"u8) && Contains(mounts, " /sys sysfs"u8));
            KernelConsole.Write("vfs: mounts: ");
            for (int i = 0; i < mounts.Length; i++)
                KernelConsole.Write(mounts[i] == '\n' ? (byte)';' : mounts[i]);
            KernelConsole.WriteLine();
            byte* mtab = stackalloc byte[4096];
            long mtabLength = ReadWhole("/etc/mtab\0"u8, mtab, 4096);
            ok &= Expect.True("/etc/mtab reads as /proc/mounts", mtabLength == length && new ReadOnlySpan<byte>(mtab, (int)(mtabLength < 0 ? 0 : mtabLength)).SequenceEqualTo(mounts));
            byte* link = stackalloc byte[64];
            ok &= Expect.Equal("readlink /etc/mtab", 12, Call(N.Readlink, P("/etc/mtab\0"u8), (long)link, 64));
            length = ReadWhole("/proc/cpuinfo\0"u8, text, 4096);
            int processors = Count(new ReadOnlySpan<byte>(text, (int)(length < 0 ? 0 : length)), "processor\t: "u8);
            ok &= Expect.Equal("cpuinfo lists every CPU", Scheduler.CpuCount, processors);
            length = ReadWhole("/proc/meminfo\0"u8, text, 4096);
            ok &= Expect.True("meminfo MemTotal", length > 0 && Contains(new ReadOnlySpan<byte>(text, (int)length), "MemTotal:"u8));
            ok &= Expect.InRange("readlink /proc/self/exe", 1, 63, Call(N.Readlink, P("/proc/self/exe\0"u8), (long)link, 64));
            length = ReadWhole("/proc/self/maps\0"u8, text, 4096);
            ok &= Expect.True("self/maps has a text line", length > 0 && Contains(new ReadOnlySpan<byte>(text, (int)length), " r-xp "u8));
            LinuxStat stat;
            ok &= Expect.Equal("stat /sys", 0, Call(N.Stat, P("/sys\0"u8), (long)&stat));
            long writable = Call(N.Open, P("/proc/mounts\0"u8), OWrOnly, 0);
            ok &= Expect.True("/proc/mounts cannot be written", writable < 0 || Call(N.Write, writable, P("x"u8), 1) < 0);
            if (writable >= 0)
                Call(N.Close, writable);
            return ok;
        }

        private static long ReadWhole(ReadOnlySpan<byte> path, byte* buffer, int capacity)
        {
            long fd = Call(N.Open, P(path), ORdOnly, 0);
            if (fd < 0)
                return fd;
            long total = 0;
            while (total < capacity)
            {
                long got = Call(N.Read, fd, (long)(buffer + total), capacity - total);
                if (got <= 0)
                    break;
                total += got;
            }
            Call(N.Close, fd);
            return total;
        }

        private static bool Contains(ReadOnlySpan<byte> text, ReadOnlySpan<byte> part) => Count(text, part) > 0;

        private static int Count(ReadOnlySpan<byte> text, ReadOnlySpan<byte> part)
        {
            int count = 0;
            for (int i = 0; i + part.Length <= text.Length; i++)
            {
                if (text.Slice(i, part.Length).SequenceEqualTo(part))
                    count++;
            }
            return count;
        }

        // ---- pipes ----

        private const int PipeBytes = 1 << 20;
        private static int s_writeEnd;
        private static long s_writerResult;

        private static void PipeWriter(void* argument)
        {
            byte* chunk = stackalloc byte[1000];
            long total = 0;
            while (total < PipeBytes)
            {
                int size = (int)(PipeBytes - total < 1000 ? PipeBytes - total : 1000);
                for (int i = 0; i < size; i++)
                    chunk[i] = (byte)((total + i) * 7);
                long wrote = Call(N.Write, s_writeEnd, (long)chunk, size);
                if (wrote <= 0)
                {
                    s_writerResult = wrote;
                    return;
                }
                total += wrote;
            }
            s_writerResult = total;
            Call(N.Close, s_writeEnd);
        }

        private static bool Pipes()
        {
            int* fds = stackalloc int[2];
            bool ok = Expect.Equal("pipe", 0, Call(N.Pipe, (long)fds));
            s_writeEnd = fds[1];
            s_writerResult = 0;
            KernelThread? writer = Scheduler.Create(&PipeWriter, null, 64 * 1024);
            ok &= Expect.True("writer thread", writer != null);
            byte* buffer = stackalloc byte[4096];
            long total = 0;
            bool sameBytes = true;
            while (true)
            {
                long got = Call(N.Read, fds[0], (long)buffer, 4096);
                if (got <= 0)
                {
                    ok &= Expect.Equal("read end: EOF, not an error", 0, got);
                    break;
                }
                for (long i = 0; i < got; i++)
                    sameBytes &= buffer[i] == (byte)((total + i) * 7);
                total += got;
            }
            if (writer != null)
                Scheduler.Join(writer);
            ok &= Expect.Equal("bytes through the pipe", PipeBytes, total);
            ok &= Expect.Equal("writer wrote all", PipeBytes, s_writerResult);
            ok &= Expect.True("bytes in order", sameBytes);
            Call(N.Close, fds[0]);

            ok &= Expect.Equal("pipe2(O_NONBLOCK)", 0, Call(N.Pipe2, (long)fds, 0x800));
            ok &= Expect.Equal("empty non-blocking read: EAGAIN", -Errno.EAGAIN, Call(N.Read, fds[0], (long)buffer, 1));
            ok &= Expect.Equal("lseek on a pipe: ESPIPE", -Errno.ESPIPE, Call(N.Lseek, fds[0], 0, 1));
            PollDescriptor* poll = stackalloc PollDescriptor[2];
            poll[0].Descriptor = fds[0]; poll[0].Events = 1; poll[0].ReturnedEvents = 0;
            poll[1].Descriptor = fds[1]; poll[1].Events = 4; poll[1].ReturnedEvents = 0;
            ok &= Expect.Equal("poll: only the write end is ready", 1, Call(N.Poll, (long)poll, 2, 0));
            Call(N.Write, fds[1], P("x"u8), 1);
            ok &= Expect.Equal("poll with a timeout: both ready", 2, Call(N.Poll, (long)poll, 2, 100));
            Call(N.Close, fds[0]);
            ok &= Expect.Equal("write without readers: EPIPE", -Errno.EPIPE, Call(N.Write, fds[1], P("x"u8), 1));
            Call(N.Close, fds[1]);
            ok &= Expect.Equal("pipe(NULL): EFAULT", -Errno.EFAULT, Call(N.Pipe, 8));
            return ok;
        }

        private static bool Descriptors()
        {
            long fd = Call(N.Open, P("/dev/null\0"u8), ORdWr, 0);
            long copy = Call(N.Dup, fd);
            bool ok = Expect.Equal("dup: lowest free", fd + 1, copy);
            ok &= Expect.Equal("dup2", 50, Call(N.Dup2, fd, 50));
            ok &= Expect.Equal("dup3 to itself: EINVAL", -Errno.EINVAL, Call(N.Dup3, fd, fd, 0));
            ok &= Expect.Equal("dup3 O_CLOEXEC", 51, Call(N.Dup3, fd, 51, 0x80000));
            ok &= Expect.Equal("F_GETFD", 1, Call(N.Fcntl, 51, 1, 0));
            ok &= Expect.Equal("F_GETFL", ORdWr, Call(N.Fcntl, fd, 3, 0) & 3);
            ok &= Expect.Equal("F_DUPFD from 60", 60, Call(N.Fcntl, fd, 0, 60));
            Call(N.Close, fd); Call(N.Close, copy); Call(N.Close, 50); Call(N.Close, 51); Call(N.Close, 60);
            long previous = Call(N.Umask, 0x3F);
            ok &= Expect.Equal("umask returns the previous mask", 0x12, previous);
            Call(N.Umask, previous);
            LinuxStatfs statfs;
            ok &= Expect.Equal("statfs /tmp", 0, Call(N.Statfs, P("/tmp\0"u8), (long)&statfs));
            ok &= Expect.Equal("access /tmp W_OK", 0, Call(N.Access, P("/tmp\0"u8), 2));
            ok &= Expect.Equal("faccessat missing: ENOENT", -Errno.ENOENT, Call(N.Faccessat, AtFdCwd, P("/tmp/none\0"u8), 0));
            ok &= Expect.Equal("fsync /dev/null", 0, Call(N.Fsync, fd = Call(N.Open, P("/tmp\0"u8), ORdOnly, 0)));
            Call(N.Close, fd);
            return ok;
        }

        // ---- rofs ----

        private static bool RofsTrees()
        {
            VirtualFileSystem vfs = FileSystemStartup.NameSpace!;
            byte* path = (byte*)KernelMemory.AllocateZeroed(PathLimits.PathMax);
            byte* data = (byte*)KernelMemory.AllocateZeroed(64 * 1024);
            bool ok = true;
            int trees = 0;
            for (int i = 0; i < vfs.Mounts.Count; i++)
            {
                Mount mount = vfs.Mounts.At(i);
                if (!mount.FileSystem.TypeName.SequenceEqualTo("rofs"u8))
                    continue;
                trees++;
                ReadOnlySpan<byte> mountPath = mount.Path;
                mountPath.CopyTo(new Span<byte>(path, mountPath.Length));
                int length = mountPath.Length;
                if (length == 1)
                    length = 0; // "/" : children become "/name"
                path[length] = 0;
                KernelConsole.Write("vfs: tree ");
                KernelConsole.Write(mountPath);
                KernelConsole.WriteLine();
                LinuxStat rootStat;
                Call(N.Stat, (long)(length == 0 ? P("/\0"u8) : (long)path), (long)&rootStat);
                ok &= Expect.Equal("walk", 0, Walk(path, length, rootStat.Device, data));
                // Writes to a read-only file system.
                ReadOnlySpan<byte> name = "/new\0"u8;
                name.CopyTo(new Span<byte>(path + length, name.Length));
                ok &= Expect.Equal("create on rofs: EROFS", -Errno.EROFS, Call(N.Open, (long)path, OCreat | OWrOnly, 0x1A4));
                ok &= Expect.Equal("mkdir on rofs: EROFS", -Errno.EROFS, Call(N.Mkdir, (long)path, 0x1ED));
                path[length] = 0;
            }
            KernelConsole.Write("vfs: rofs trees: ");
            KernelConsole.WriteDecimal((ulong)trees);
            KernelConsole.WriteLine();
            KernelMemory.Free(path);
            KernelMemory.Free(data);
            return ok;
        }

        /// <summary>Depth-first: prints every entry under <paramref name="path"/> (NUL at <paramref name="length"/>) that is on device <paramref name="device"/>.</summary>
        private static long Walk(byte* path, int length, ulong device, byte* data)
        {
            long fd = Call(N.Open, (long)(length == 0 ? P("/\0"u8) : (long)path), ORdOnly | ODirectory, 0);
            if (fd < 0)
                return fd;
            byte* entries = (byte*)KernelMemory.AllocateZeroed(4096);
            long status = 0;
            while (status == 0)
            {
                long got = Call(N.Getdents64, fd, (long)entries, 4096);
                if (got <= 0)
                {
                    status = got;
                    break;
                }
                for (long at = 0; at < got && status == 0;)
                {
                    ushort recordLength = *(ushort*)(entries + at + 16);
                    byte* name = entries + at + 19;
                    at += recordLength;
                    int nameLength = 0;
                    while (name[nameLength] != 0)
                        nameLength++;
                    if ((nameLength == 1 && name[0] == '.') || (nameLength == 2 && name[0] == '.' && name[1] == '.'))
                        continue;
                    path[length] = (byte)'/';
                    new ReadOnlySpan<byte>(name, nameLength).CopyTo(new Span<byte>(path + length + 1, nameLength));
                    int childLength = length + 1 + nameLength;
                    path[childLength] = 0;
                    status = Visit(path, childLength, device, data);
                    path[length] = 0;
                }
            }
            KernelMemory.Free(entries);
            Call(N.Close, fd);
            return status;
        }

        private static long Visit(byte* path, int length, ulong device, byte* data)
        {
            LinuxStat stat;
            long status = Call(N.Lstat, (long)path, (long)&stat);
            if (status != 0)
                return status;
            if (stat.Device != device)
                return 0; // another file system mounted here (/dev, /proc, /tmp, ...)
            ReadOnlySpan<byte> shown = new ReadOnlySpan<byte>(path, length);
            uint type = stat.Mode & 0xF000;
            if (type == 0x4000)
            {
                KernelConsole.Write("vfs: dir ");
                KernelConsole.Write(shown);
                KernelConsole.WriteLine();
                return Walk(path, length, device, data);
            }
            if (type == 0xA000)
            {
                long linkLength = Call(N.Readlink, (long)path, (long)data, 4096);
                if (linkLength < 0)
                    return linkLength;
                KernelConsole.Write("vfs: link ");
                KernelConsole.Write(shown);
                KernelConsole.Write(" -> ");
                KernelConsole.Write(new ReadOnlySpan<byte>(data, (int)linkLength));
                KernelConsole.WriteLine();
                return 0;
            }
            long fd = Call(N.Open, (long)path, ORdOnly, 0);
            if (fd < 0)
                return fd;
            ulong hash = 14695981039346656037UL;
            long total = 0;
            while (true)
            {
                long got = Call(N.Read, fd, (long)data, 64 * 1024);
                if (got < 0)
                {
                    Call(N.Close, fd);
                    return got;
                }
                if (got == 0)
                    break;
                for (long i = 0; i < got; i++)
                    hash = (hash ^ data[i]) * 1099511628211UL;
                total += got;
            }
            Call(N.Close, fd);
            KernelConsole.Write("vfs: file ");
            KernelConsole.Write(shown);
            KernelConsole.Write(" ");
            KernelConsole.WriteDecimal((ulong)total);
            KernelConsole.Write(" ");
            KernelConsole.WriteHex64(hash);
            KernelConsole.WriteLine();
            return total == stat.Size ? 0 : -Errno.EIO;
        }
    }

    internal static class ByteSpanExtensions
    {
        public static bool SequenceEqualTo(this System.ReadOnlySpan<byte> a, System.ReadOnlySpan<byte> b)
        {
            if (a.Length != b.Length)
                return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                    return false;
            }
            return true;
        }
    }
}
