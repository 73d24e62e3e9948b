using System;
using System.Text;
using Osv.Vfs.Devfs;
using Osv.Vfs.Procfs;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Tests.Support;
using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

public sealed unsafe class DevfsProcfsTests : VfsTestKit
{
    private sealed class FakeConsole : IConsoleDevice
    {
        public readonly StringBuilder Output = new();
        public string Input = "";
        public long Read(Span<byte> destination, bool nonBlocking)
        {
            if (Input.Length == 0)
                return nonBlocking ? -Errno.EAGAIN : 0;
            int count = Encoding.ASCII.GetBytes(Input.AsSpan(0, Math.Min(Input.Length, destination.Length)), destination);
            Input = Input.Substring(count);
            return count;
        }
        public long Write(ReadOnlySpan<byte> source)
        {
            Output.Append(Encoding.ASCII.GetString(source));
            return source.Length;
        }
        public bool HasInput => Input.Length > 0;
        public ushort Rows => 24;
        public ushort Columns => 80;
    }

    private sealed class TextGenerator : IContentGenerator
    {
        private readonly byte[] _text;
        public TextGenerator(string text) => _text = Encoding.ASCII.GetBytes(text);
        public int Generate(Span<byte> destination)
        {
            _text.AsSpan(0, Math.Min(_text.Length, destination.Length)).CopyTo(destination);
            return _text.Length;
        }
    }

    private static void FillRandom(Span<byte> destination) => destination.Fill(0x5A);

    private readonly FakeConsole _console = new();

    public DevfsProcfsTests()
    {
        SyntheticFileSystem devfs = DevfsBuilder.Create(Allocator, new NoLock());
        Assert.Equal(0, DevfsBuilder.AddStandardDevices(devfs, &FillRandom, _console));
        Assert.Equal(0, DevfsBuilder.AddBlockDevice(devfs, "vblk0"u8, new MemoryBlockDevice(Encoding.ASCII.GetBytes("DISKDATA")), (DeviceNumbers.VirtioBlockMajor << 8) | 0));
        Assert.Equal(-Errno.EEXIST, DevfsBuilder.AddBlockDevice(devfs, "vblk0"u8, new MemoryBlockDevice(new byte[8]), 0));
        Mkdir("/dev");
        Assert.Equal(0, Vfs.Mount(B("/dev"), devfs, B("none")));
        var generators = new ProcfsBuilder.Generators { CpuInfo = new TextGenerator("processor\t: 0\n"), Executable = new TextGenerator("/app/bin/redis") };
        Assert.Equal(0, ProcfsBuilder.Create(Allocator, new NoLock(), new MountsGenerator(Vfs), generators, out SyntheticFileSystem? procfs));
        Mkdir("/proc");
        Assert.Equal(0, Vfs.Mount(B("/proc"), procfs!, B("proc")));
    }

    [Fact]
    public void Memory_devices()
    {
        long zero = Files.Open(B("/dev/zero"), OpenFlags.ReadWrite, 0);
        var buffer = new byte[] { 1, 2, 3 };
        Assert.Equal(3, Files.Read((int)zero, buffer));
        Assert.Equal(new byte[3], buffer);
        Files.Close((int)zero);
        Assert.Equal("", ReadFile("/dev/null"));
        long full = Files.Open(B("/dev/full"), OpenFlags.WriteOnly, 0);
        Assert.Equal(-Errno.ENOSPC, Files.Write((int)full, B("x")));
        Files.Close((int)full);
        long random = Files.Open(B("/dev/urandom"), OpenFlags.ReadOnly, 0);
        Assert.Equal(3, Files.Read((int)random, buffer));
        Assert.Equal(new byte[] { 0x5A, 0x5A, 0x5A }, buffer);
        Files.Close((int)random);
        Assert.Equal(0, Files.Stat(B("/dev/null"), out var stat));
        Assert.Equal(FileModes.CharacterDevice | 0x1B6u, stat.Mode);
        Assert.Equal(DeviceNumbers.Null, stat.RepresentedDevice);
        Assert.Equal(-Errno.EACCES, Files.Open(B("/dev/new"), OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4));
        Assert.Equal("DISKDATA", ReadFile("/dev/vblk0"));
    }

    [Fact]
    public void Console_reads_writes_and_answers_terminal_ioctls()
    {
        long fd = Files.Open(B("/dev/console"), OpenFlags.ReadWrite | OpenFlags.NonBlocking, 0);
        Assert.Equal(5, Files.Write((int)fd, B("boot\n")));
        Assert.Equal("boot\n", _console.Output.ToString());
        Assert.Equal(-Errno.EAGAIN, Files.Read((int)fd, new byte[4]));
        _console.Input = "ab";
        Assert.Equal(2, Files.Read((int)fd, new byte[4]));
        var winsize = new ushort[4];
        fixed (ushort* size = winsize)
            Assert.Equal(0, Files.Ioctl((int)fd, ConsoleDevice.GetWindowSize, size));
        Assert.Equal(new ushort[] { 24, 80, 0, 0 }, winsize);
        var termios = new byte[ConsoleDevice.TermiosSize];
        fixed (byte* attributes = termios)
            Assert.Equal(0, Files.Ioctl((int)fd, ConsoleDevice.GetTerminalAttributes, attributes));
        Assert.NotEqual(0u, BitConverter.ToUInt32(termios, 12)); // c_lflag set
        Assert.Equal(-Errno.EFAULT, Files.Ioctl((int)fd, ConsoleDevice.GetWindowSize, null));
        Assert.Equal(-Errno.ENOTTY, Files.Ioctl((int)fd, 0x1234, null));
        Files.Close((int)fd);
        WriteFile("/plain", "x");
        fd = Files.Open(B("/plain"), OpenFlags.ReadOnly, 0);
        Assert.Equal(-Errno.ENOTTY, Files.Ioctl((int)fd, ConsoleDevice.GetTerminalAttributes, null));
        Files.Close((int)fd);
    }

    [Fact]
    public void Proc_files_are_generated_on_each_read()
    {
        Assert.Equal("rootfs / ramfs rw 0 0\nnone /dev devfs rw 0 0\nproc /proc proc rw 0 0\n", ReadFile("/proc/mounts"));
        Assert.Equal(ReadFile("/proc/mounts"), ReadFile("/proc/self/mounts"));
        Mkdir("/tmp");
        Assert.Equal(0, Vfs.Mount(B("/tmp"), new Osv.Vfs.Ramfs.RamfsFileSystem(Allocator, new NoLock(), null), B("tmpfs")));
        Assert.EndsWith("tmpfs /tmp ramfs rw 0 0\n", ReadFile("/proc/mounts"));
        Assert.Equal("processor\t: 0\n", ReadFile("/proc/cpuinfo"));
        long fd = Files.Open(B("/proc/cpuinfo"), OpenFlags.ReadOnly, 0);
        var buffer = new byte[4];
        Assert.Equal(4, Files.PositionalRead((int)fd, buffer, 10));
        Assert.Equal(": 0\n", Encoding.ASCII.GetString(buffer));
        Assert.Equal(0, Files.PositionalRead((int)fd, buffer, 100));
        Files.Close((int)fd);
        var link = new byte[64];
        Assert.Equal(14, Files.ReadLink(B("/proc/self/exe"), link));
        Assert.Equal("/app/bin/redis", Encoding.ASCII.GetString(link, 0, 14));
        Assert.Equal(-Errno.ENOENT, Files.Stat(B("/proc/meminfo"), out _)); // no generator given
        Assert.Equal(0, Files.ChangeDirectory(B("/proc/self")));
        Assert.Equal("/proc/self", Cwd());
        Assert.Equal(0, Files.ChangeDirectory(B("/")));
    }
}
