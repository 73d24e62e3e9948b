namespace Osv.Core.Boot;

/// <summary>Everything the kernel command line asks for: the options, then the commands to run.</summary>
public sealed class KernelOptions
{
    /// <summary><c>--rootfs</c>: rofs, zfs, ramfs or virtiofs; null lets the kernel pick.</summary>
    public string? RootFs { get; internal set; }

    /// <summary><c>--mount-fs</c>, in command-line order.</summary>
    public MountRequest[] Mounts { get; internal set; } = new MountRequest[0];

    /// <summary><c>--bootchart</c>: print boot timings.</summary>
    public bool Bootchart { get; internal set; }

    /// <summary><c>--verbose</c>: verbose boot output.</summary>
    public bool Verbose { get; internal set; }

    /// <summary><c>--preload-zfs-library</c>: load libsolaris.so at boot even without a ZFS mount.</summary>
    public bool PreloadZfsLibrary { get; internal set; }

    /// <summary><c>--help</c>: print <see cref="CommandLineParser.HelpText"/> instead of running commands.</summary>
    public bool ShowHelp { get; internal set; }

    /// <summary><c>--bench</c>: the in-kernel benchmark to run (threads); null when not asked.</summary>
    public string? Benchmark { get; internal set; }

    /// <summary><c>--test</c>: the in-kernel test suite to run (threads or all); null when not asked.</summary>
    public string? TestSuite { get; internal set; }

    /// <summary><c>--selftest</c>: run the kernel runtime self-test and exit with its result.</summary>
    public bool SelfTest { get; internal set; }

    /// <summary><c>--debug-fault</c>: page, ud, gp, divide, triple, stack-overflow, write-text, exec-data or throw; null when not asked.</summary>
    public string? DebugFault { get; internal set; }

    /// <summary><c>--env</c> entries as <c>NAME=VALUE</c>, in command-line order.</summary>
    public string[] Environment { get; internal set; } = new string[0];

    /// <summary>Commands in command-line order; empty commands between separators are already dropped.</summary>
    public AppCommand[] Commands { get; internal set; } = new AppCommand[0];
}
