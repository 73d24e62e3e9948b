using System;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Boot;
using Osv.Core.Console;
using Osv.Drivers.Blk;
using Osv.Vfs.Devfs;
using Osv.Vfs.Pipes;
using Osv.Vfs.Procfs;
using Osv.Vfs.Ramfs;
using Osv.Vfs.Rofs;
using Osv.Vfs.RofsAdapter;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Kernel.FileSystems
{
    /// <summary>
    /// Boot step: the name space. The root (--rootfs=rofs on /dev/vblk0.1 when a disk has a partition,
    /// else ramfs holding the bootfs archive from the kernel image), devfs at /dev, procfs at /proc,
    /// sysfs at /sys, a ramfs /tmp on a read-only root, then --mount-fs= requests and /etc/fstab. A
    /// mount that fails prints one line naming the device, the mount point and the problem, and boot
    /// goes on. Descriptors 0, 1 and 2 are /dev/console. See docs/architecture.md, "File systems in the kernel".
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class FileSystemStartup
    {
        private const int FstabMaxBytes = 16 * 1024;

        private static VirtualFileSystem? s_vfs;
        private static ProcessFiles? s_files;
        private static KernelBlockDevice?[]? s_blockDevices;

        /// <summary>The one process's files (null before <see cref="Start"/>).</summary>
        public static ProcessFiles? Files => s_files;

        private static bool Same(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
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

        public static VirtualFileSystem? NameSpace => s_vfs;

        public static NativeAllocator Allocator => new NativeAllocator(&KernelMemory.AllocateZeroed, &KernelMemory.Free);

        /// <summary>The adapter of registry device <paramref name="index"/> (rofs and /dev read through it).</summary>
        public static KernelBlockDevice? BlockDeviceAt(int index) =>
            s_blockDevices != null && index >= 0 && index < s_blockDevices.Length ? s_blockDevices[index] : null;

        public static void Start(KernelOptions options, int cpuCount)
        {
            KernelRandom.Seed();
            NativeAllocator allocator = Allocator;
            s_vfs = new VirtualFileSystem(allocator, new MutexVfsLock());
            s_blockDevices = new KernelBlockDevice?[BlockDeviceRegistry.Count];
            for (int i = 0; i < BlockDeviceRegistry.Count; i++)
                s_blockDevices[i] = new KernelBlockDevice(BlockDeviceRegistry.At(i)!);

            bool rofsRoot = MountRoot(options.RootFs);
            s_files = KernelFiles.Process = new ProcessFiles(s_vfs, new FileDescriptorTable(new MutexVfsLock()), new PipeFileSystem(allocator, new KernelWaitPolicyFactory()));
            if (!rofsRoot)
                FillRamfsRoot();
            else
                MountOrReport("ramfs"u8, "ramfs"u8, "/tmp"u8);

            MountSystemFileSystems(options, cpuCount);
            OpenStandardDescriptors();

            Span<byte> type = stackalloc byte[64];
            Span<byte> device = stackalloc byte[256];
            Span<byte> path = stackalloc byte[PathLimits.PathMax];
            foreach (MountRequest request in options.Mounts)
            {
                int typeLength = Ascii(request.Type, type);
                int deviceLength = Ascii(request.Device, device);
                int pathLength = Ascii(request.Path, path);
                MountOrReport(type.Slice(0, typeLength), device.Slice(0, deviceLength), path.Slice(0, pathLength));
            }
            MountFstab();
        }

        // ---- the root ----

        /// <summary>Returns true for a rofs root; otherwise a ramfs root is mounted.</summary>
        private static bool MountRoot(string? requested)
        {
            bool hasPartition = FindDevice("/dev/vblk0.1"u8) >= 0;
            string kind = requested ?? (hasPartition ? "rofs" : "ramfs");
            if (kind == "rofs")
            {
                if (MountRofs("/dev/vblk0.1"u8, "/"u8, asRoot: true))
                    return true;
                KernelConsole.WriteLine("mount: the root is a ramfs with the bootfs content instead");
            }
            else if (kind != "ramfs")
            {
                KernelConsole.Write("mount: --rootfs=");
                KernelConsole.Write(kind);
                KernelConsole.WriteLine(": file system type not supported; the root is a ramfs with the bootfs content");
            }
            var ramfs = new RamfsFileSystem(Allocator, new MutexVfsLock(), &WallClockNanoseconds);
            long status = s_vfs!.MountRoot(ramfs, "ramfs"u8);
            if (status != 0)
                Osv.Core.Diagnostics.Panic.Fail("mount: cannot mount the ramfs root");
            return false;
        }

        /// <summary>bootfs content, then the mount points and /etc/mtab a ramfs root needs.</summary>
        private static void FillRamfsRoot()
        {
            ulong start = BootImage.BootfsStart;
            ulong end = BootImage.BootfsEnd;
            if (end > start)
            {
                long unpacked = BootfsUnpacker.Unpack(s_files!, new ReadOnlySpan<byte>((void*)start, (int)(end - start)));
                if (unpacked < 0)
                {
                    KernelConsole.Write("bootfs: cannot unpack the archive in the kernel image: ");
                    WriteErrno(unpacked);
                    KernelConsole.WriteLine();
                }
            }
            s_files!.MakeDirectory("/dev"u8, 0x1ED);
            s_files.MakeDirectory("/proc"u8, 0x1ED);
            s_files.MakeDirectory("/sys"u8, 0x1ED);
            s_files.MakeDirectory("/tmp"u8, 0x3FF); // 1777
            s_files.MakeDirectory("/etc"u8, 0x1ED);
            s_files.Symlink("/proc/mounts"u8, "/etc/mtab"u8);
        }

        // The wall clock is known once the system-call layer has read the CMOS clock (after mounting):
        // files made before then are stamped with the time since boot.
        private static long WallClockNanoseconds() =>
            (long)(Osv.Core.Linux.LinuxSystemCalls.BootUnixSeconds * 1000000000UL + TscClock.NanosecondsSinceBoot);

        // ---- devfs, procfs, sysfs ----

        private static void MountSystemFileSystems(KernelOptions options, int cpuCount)
        {
            NativeAllocator allocator = Allocator;
            SyntheticFileSystem devfs = DevfsBuilder.Create(allocator, new MutexVfsLock());
            long status = DevfsBuilder.AddStandardDevices(devfs, &KernelRandom.Fill, new SerialConsole());
            Span<byte> name = stackalloc byte[64];
            for (int i = 0; status == 0 && i < BlockDeviceRegistry.Count; i++)
            {
                BlockDevice device = BlockDeviceRegistry.At(i)!;
                int length = Ascii(device.Name, name);
                status = DevfsBuilder.AddBlockDevice(devfs, name.Slice(0, length), s_blockDevices![i]!, (DeviceNumbers.VirtioBlockMajor << 8) | (ulong)i);
            }
            if (status != 0)
                Report("devfs"u8, "/dev"u8, "devfs"u8, "cannot create the devices", status);
            MountSynthetic(devfs, "devfs"u8, "/dev"u8);

            ProcfsBuilder.Generators generators = default;
            generators.CpuInfo = new CpuInfoGenerator(cpuCount);
            generators.MemInfo = new MemInfoGenerator();
            generators.Maps = new MapsGenerator();
            generators.Executable = new ExecutableGenerator(options.Commands.Length > 0 ? options.Commands[0].Argv[0] : null);
            status = ProcfsBuilder.Create(allocator, new MutexVfsLock(), new MountsGenerator(s_vfs!), generators, out SyntheticFileSystem? procfs);
            if (status != 0)
                Report("proc"u8, "/proc"u8, "proc"u8, "cannot create /proc", status);
            else
                MountSynthetic(procfs!, "proc"u8, "/proc"u8);

            MountSynthetic(ProcfsBuilder.CreateSysfs(allocator, new MutexVfsLock()), "sysfs"u8, "/sys"u8);
        }

        private static void MountSynthetic(SyntheticFileSystem fileSystem, ReadOnlySpan<byte> device, ReadOnlySpan<byte> path)
        {
            long status = s_vfs!.Mount(path, fileSystem, device);
            if (status != 0)
                Report(device, path, fileSystem.TypeName, MountPointProblem(status), status);
        }

        private static void OpenStandardDescriptors()
        {
            long input = s_files!.Open("/dev/console"u8, OpenFlags.ReadWrite, 0);
            if (input != 0)
            {
                KernelConsole.Write("console: cannot open /dev/console as descriptor 0: ");
                WriteErrno(input);
                KernelConsole.WriteLine();
                return;
            }
            s_files.Duplicate(0);
            s_files.Duplicate(0);
        }

        /// <summary>
        /// Before each program: descriptors 0-2 that an earlier program closed (as most do at exit:
        /// fclose(stdout)) are /dev/console again, since the programs share one descriptor table where
        /// Linux would give each process its own.
        /// </summary>
        public static void RestoreStandardDescriptors()
        {
            if (s_files == null)
                return;
            for (int descriptor = 0; descriptor <= 2; descriptor++)
            {
                if (s_files.FileStat(descriptor, out _) != -Errno.EBADF)
                    continue;
                long opened = s_files.Open("/dev/console"u8, OpenFlags.ReadWrite, 0);
                if (opened >= 0 && opened != descriptor)
                {
                    s_files.Duplicate2((int)opened, descriptor);
                    s_files.Close((int)opened);
                }
            }
        }

        // ---- mounts by type ----

        /// <summary>A --mount-fs= request or an fstab line: rofs on a block device, or a new ramfs.</summary>
        public static bool MountOrReport(ReadOnlySpan<byte> type, ReadOnlySpan<byte> device, ReadOnlySpan<byte> path)
        {
            if (Same(type, "rofs"u8))
                return MountRofs(device, path, asRoot: false);
            if (Same(type, "ramfs"u8) || Same(type, "tmpfs"u8))
            {
                var ramfs = new RamfsFileSystem(Allocator, new MutexVfsLock(), &WallClockNanoseconds);
                long status = s_vfs!.Mount(path, ramfs, device);
                if (status == 0)
                    return true;
                ramfs.Destroy();
                Osv.Runtime.ObjectMemory.Free(ramfs);
                Report(device, path, type, MountPointProblem(status), status);
                return false;
            }
            Report(device, path, type, "unknown file system type", 0);
            return false;
        }

        private static bool MountRofs(ReadOnlySpan<byte> device, ReadOnlySpan<byte> path, bool asRoot)
        {
            int index = FindDevice(device);
            if (index < 0)
            {
                Report(device, path, "rofs"u8, "no such block device", 0);
                return false;
            }
            KernelBlockDevice blockDevice = s_blockDevices![index]!;
            RofsResult result = RofsVolume.Mount(blockDevice, &KernelMemory.AllocateZeroed, &KernelMemory.Free, RofsVolume.DefaultCacheWindows, out RofsVolume? volume);
            if (result.IsOk)
            {
                result = volume!.Verify(out _);
                if (!result.IsOk)
                {
                    volume.Dispose();
                    Osv.Runtime.ObjectMemory.Free(volume);
                }
            }
            if (!result.IsOk)
            {
                ReportRofs(device, path, result, blockDevice);
                return false;
            }
            var fileSystemLock = new MutexVfsLock();
            long status = RofsFileSystem.Create(volume!, Allocator, fileSystemLock, out RofsFileSystem? fileSystem);
            if (status != 0)
            {
                volume!.Dispose();
                Osv.Runtime.ObjectMemory.Free(volume);
                Osv.Runtime.ObjectMemory.Free(fileSystemLock);
                Report(device, path, "rofs"u8, "cannot index the directory tree", status);
                return false;
            }
            status = asRoot ? s_vfs!.MountRoot(fileSystem!, device) : s_vfs!.Mount(path, fileSystem!, device);
            if (status != 0)
            {
                fileSystem!.Destroy();
                Osv.Runtime.ObjectMemory.Free(fileSystem);
                Report(device, path, "rofs"u8, MountPointProblem(status), status);
                return false;
            }
            return true;
        }

        // ---- /etc/fstab ----

        /// <summary>OSv's fstab: "device mountpoint type options dump pass" per line, '#' comments; "/" and what is mounted already are skipped.</summary>
        private static void MountFstab()
        {
            long fd = s_files!.Open("/etc/fstab"u8, OpenFlags.ReadOnly, 0);
            if (fd < 0)
                return;
            byte* buffer = (byte*)KernelMemory.AllocateZeroed(FstabMaxBytes);
            if (buffer == null)
            {
                s_files.Close((int)fd);
                return;
            }
            long length = s_files.Read((int)fd, new Span<byte>(buffer, FstabMaxBytes));
            s_files.Close((int)fd);
            if (length < 0)
            {
                KernelConsole.Write("fstab: cannot read /etc/fstab: ");
                WriteErrno(length);
                KernelConsole.WriteLine();
                length = 0;
            }
            ReadOnlySpan<byte> text = new ReadOnlySpan<byte>(buffer, (int)length);
            while (text.Length > 0)
            {
                int newline = 0;
                while (newline < text.Length && text[newline] != '\n')
                    newline++;
                if (newline == text.Length)
                    newline = -1;
                ReadOnlySpan<byte> line = newline < 0 ? text : text.Slice(0, newline);
                text = newline < 0 ? default : text.Slice(newline + 1);
                MountFstabLine(line);
            }
            KernelMemory.Free(buffer);
        }

        private static void MountFstabLine(ReadOnlySpan<byte> line)
        {
            ReadOnlySpan<byte> device = NextField(ref line);
            if (device.Length == 0 || device[0] == '#')
                return;
            ReadOnlySpan<byte> path = NextField(ref line);
            ReadOnlySpan<byte> type = NextField(ref line);
            if (path.Length == 0 || type.Length == 0)
            {
                KernelConsole.Write("fstab: a line needs a device, a mount point and a type: ");
                KernelConsole.Write(device);
                KernelConsole.WriteLine();
                return;
            }
            if (Same(path, "/"u8) || IsMountedAt(path))
                return;
            MountOrReport(type, device, path);
        }

        private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> line)
        {
            int start = 0;
            while (start < line.Length && (line[start] == ' ' || line[start] == '\t' || line[start] == '\r'))
                start++;
            int end = start;
            while (end < line.Length && line[end] != ' ' && line[end] != '\t' && line[end] != '\r')
                end++;
            ReadOnlySpan<byte> field = line.Slice(start, end - start);
            line = line.Slice(end);
            return field;
        }

        private static bool IsMountedAt(ReadOnlySpan<byte> path)
        {
            VirtualFileSystem vfs = s_vfs!;
            vfs.NamespaceLock.Acquire();
            bool found = false;
            for (int i = 0; i < vfs.Mounts.Count && !found; i++)
                found = Same(vfs.Mounts.At(i).Path, path);
            vfs.NamespaceLock.Release();
            return found;
        }

        // ---- helpers ----

        /// <summary>"/dev/vblk1.1" or "vblk1.1" -> its registry index, or -1.</summary>
        private static int FindDevice(ReadOnlySpan<byte> device)
        {
            if (device.Length > 5 && Same(device.Slice(0, 5), "/dev/"u8))
                device = device.Slice(5);
            for (int i = 0; i < BlockDeviceRegistry.Count; i++)
            {
                string name = BlockDeviceRegistry.At(i)!.Name;
                if (name.Length != device.Length)
                    continue;
                int j = 0;
                while (j < name.Length && name[j] == device[j])
                    j++;
                if (j == name.Length)
                    return i;
            }
            return -1;
        }

        private static int Ascii(string text, Span<byte> destination)
        {
            int length = text.Length < destination.Length ? text.Length : destination.Length;
            for (int i = 0; i < length; i++)
                destination[i] = (byte)text[i];
            return length;
        }

        private static string MountPointProblem(long status) => status switch
        {
            -Errno.ENOENT => "mount point does not exist",
            -Errno.ENOTDIR => "mount point is not a directory",
            -Errno.EINVAL => "mount point must be an absolute path",
            -Errno.EBUSY => "mount point is busy",
            -Errno.ENOMEM => "out of memory",
            _ => "mount failed",
        };

        /// <summary>One line: "mount: DEVICE on PATH: TYPE: PROBLEM[ (errno N)]".</summary>
        private static void Report(ReadOnlySpan<byte> device, ReadOnlySpan<byte> path, ReadOnlySpan<byte> type, string problem, long status)
        {
            WriteMountPrefix(device, path, type);
            KernelConsole.Write(problem);
            if (status != 0)
            {
                KernelConsole.Write(" (");
                WriteErrno(status);
                KernelConsole.Write(")");
            }
            KernelConsole.WriteLine();
        }

        private static void WriteMountPrefix(ReadOnlySpan<byte> device, ReadOnlySpan<byte> path, ReadOnlySpan<byte> type)
        {
            KernelConsole.Write("mount: ");
            KernelConsole.Write(device);
            KernelConsole.Write(" on ");
            KernelConsole.Write(path);
            KernelConsole.Write(": ");
            KernelConsole.Write(type);
            KernelConsole.Write(": ");
        }

        private static void ReportRofs(ReadOnlySpan<byte> device, ReadOnlySpan<byte> path, in RofsResult result, KernelBlockDevice blockDevice)
        {
            WriteMountPrefix(device, path, "rofs"u8);
            KernelConsole.Write(RofsProblem(result.Status));
            if (result.Status == RofsStatus.BadMagic)
            {
                Span<byte> magic = stackalloc byte[8];
                if (blockDevice.Read(RofsLayout.MagicField, magic) == 0)
                {
                    ulong value = 0;
                    for (int i = 7; i >= 0; i--)
                        value = (value << 8) | magic[i];
                    KernelConsole.Write(" ");
                    KernelConsole.WriteHexShort(value);
                }
            }
            else if (result.Status == RofsStatus.DeviceReadFailed)
            {
                KernelConsole.Write(" (");
                WriteErrno(result.Errno < 0 ? result.Errno : -result.Errno);
                KernelConsole.Write(")");
            }
            if (result.Structure == RofsStructure.Inode || result.Structure == RofsStructure.DirectoryEntry || result.Structure == RofsStructure.Symlink)
            {
                KernelConsole.Write(result.Structure == RofsStructure.Inode ? " in inode " : result.Structure == RofsStructure.Symlink ? " in symlink " : " in directory entry ");
                KernelConsole.WriteDecimal(result.Index);
            }
            KernelConsole.Write(" at offset ");
            KernelConsole.WriteDecimal(result.Offset);
            KernelConsole.WriteLine();
        }

        private static string RofsProblem(RofsStatus status) => status switch
        {
            RofsStatus.DeviceReadFailed => "device read failed",
            RofsStatus.DeviceTooSmall => "device too small for a superblock",
            RofsStatus.BadMagic => "bad magic",
            RofsStatus.UnsupportedVersion => "unsupported version",
            RofsStatus.UnsupportedBlockSize => "unsupported block size",
            RofsStatus.StructureRegionOutsideDevice => "structure region outside the device (truncated image?)",
            RofsStatus.StructureRegionTooLarge => "structure region too large",
            RofsStatus.CountTooLarge => "table count too large",
            RofsStatus.DirectoryEntryTruncated => "directory entry truncated",
            RofsStatus.SymlinkTruncated => "symlink truncated",
            RofsStatus.InodeTableTruncated => "inode table truncated",
            RofsStatus.RootNotDirectory => "root inode is not a directory",
            RofsStatus.OutOfMemory => "out of memory",
            RofsStatus.InodeNumberOutOfRange => "inode number out of range",
            RofsStatus.InodeNumberMismatch => "inode number mismatch",
            RofsStatus.UnknownInodeType => "unknown inode type",
            RofsStatus.DirectoryRangeOutOfBounds => "directory entries out of bounds",
            RofsStatus.SymlinkIndexOutOfRange => "symlink index out of range",
            RofsStatus.FileDataOutOfBounds => "file data out of bounds",
            RofsStatus.EmptyName => "empty name",
            RofsStatus.InvalidName => "invalid name",
            RofsStatus.DuplicateName => "duplicate name",
            RofsStatus.EmptySymlinkTarget => "empty symlink target",
            RofsStatus.InvalidSymlinkTarget => "invalid symlink target",
            RofsStatus.DirectoryCycle => "directory cycle",
            RofsStatus.DirectoryLinkedTwice => "directory linked twice",
            RofsStatus.DirectoryEntryShared => "directory entry shared by two directories",
            RofsStatus.TreeTooDeep => "directory tree too deep",
            _ => "damaged file system",
        };

        public static void WriteErrno(long status)
        {
            long errno = status < 0 ? -status : status;
            string? name = errno switch
            {
                Errno.ENOENT => "ENOENT", Errno.EIO => "EIO", Errno.EBADF => "EBADF", Errno.ENOMEM => "ENOMEM",
                Errno.EEXIST => "EEXIST", Errno.ENOTDIR => "ENOTDIR", Errno.EISDIR => "EISDIR", Errno.EINVAL => "EINVAL",
                Errno.EROFS => "EROFS", Errno.EBUSY => "EBUSY", Errno.ENODEV => "ENODEV", Errno.ENOSPC => "ENOSPC",
                Errno.ELOOP => "ELOOP", Errno.ENAMETOOLONG => "ENAMETOOLONG", Errno.EAGAIN => "EAGAIN",
                _ => null,
            };
            if (name != null)
            {
                KernelConsole.Write(name);
                return;
            }
            KernelConsole.Write("errno ");
            KernelConsole.WriteDecimal((ulong)errno);
        }
    }
}
