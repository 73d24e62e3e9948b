using System;
using Osv.Vfs.Synthetic;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Devfs;

/// <summary>
/// /dev/console: reads and writes go to <see cref="IConsoleDevice"/> without the file-system lock
/// (a read may block); ioctl answers TCGETS (a raw-ish 8N1 termios) and TIOCGWINSZ so isatty() and
/// terminal-size queries work.
/// </summary>
public sealed unsafe class ConsoleDevice : SyntheticNode
{
    public const uint GetTerminalAttributes = 0x5401; // TCGETS
    public const uint GetWindowSize = 0x5413;          // TIOCGWINSZ

    /// <summary>Kernel struct termios (asm-generic/termbits.h): four tcflag_t, c_line, c_cc[19] = 36 bytes.</summary>
    public const int TermiosSize = 36;

    private readonly IConsoleDevice _console;

    internal ConsoleDevice(SyntheticFileSystem fileSystem, IConsoleDevice console)
        : base(fileSystem, VnodeType.CharacterDevice, 0x180) // 0600
    {
        _console = console;
    }

    public override bool SynchronizesItself => true;

    protected override void AddAttributes(ref VnodeAttributes attributes) => attributes.RepresentedDevice = DeviceNumbers.Console;

    public override long Read(ulong offset, Span<byte> destination, int flags) => _console.Read(destination, (flags & OpenFlags.NonBlocking) != 0);

    public override long Write(ulong offset, ReadOnlySpan<byte> source, int flags) => _console.Write(source);

    public override long Truncate(ulong length) => 0;

    public override short Poll(short events, int flags)
    {
        int ready = PollEvents.Out | PollEvents.WriteNormal;
        if (_console.HasInput)
            ready |= PollEvents.In | PollEvents.ReadNormal;
        return (short)(ready & events);
    }

    public override long Ioctl(uint request, void* argument)
    {
        if (argument == null && (request == GetTerminalAttributes || request == GetWindowSize))
            return -Errno.EFAULT;
        if (request == GetWindowSize)
        {
            ushort* size = (ushort*)argument; // struct winsize: rows, columns, xpixel, ypixel
            size[0] = _console.Rows;
            size[1] = _console.Columns;
            size[2] = 0;
            size[3] = 0;
            return 0;
        }
        if (request == GetTerminalAttributes)
        {
            var termios = new Span<byte>(argument, TermiosSize);
            termios.Clear();
            uint* flags = (uint*)argument;
            flags[0] = 0x500;  // c_iflag: ICRNL | IXON
            flags[1] = 0x5;    // c_oflag: OPOST | ONLCR
            flags[2] = 0xBF;   // c_cflag: B38400 | CS8 | CREAD
            flags[3] = 0x8A3B; // c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
            return 0;
        }
        return -Errno.ENOTTY;
    }
}
