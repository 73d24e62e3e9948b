using System;

namespace Osv.Cli.Qemu;

/// <summary>How to boot one VM.</summary>
public sealed record QemuOptions
{
    public const string DefaultMemory = "128M";
    public const string DefaultMachine = "q35";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    public static readonly string[] Machines = { "q35", "microvm" };

    public QemuOptions(string kernelImage)
    {
        KernelImage = kernelImage;
    }

    public string KernelImage { get; init; }
    public string CommandLine { get; init; } = "";
    public string Memory { get; init; } = DefaultMemory;
    public int Cpus { get; init; } = 1;
    public string Machine { get; init; } = DefaultMachine;
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// QEMU's deterministic virtual clock (-icount shift=N: one instruction is 2^N ns; sleep=off: idle
    /// time passes at once), or null for the host clock. Timer accuracy is measurable only under it.
    /// </summary>
    public int? InstructionCountShift { get; init; }

    /// <summary>virtio-blk disks, in order: the guest names them vblk0, vblk1, ...</summary>
    public System.Collections.Generic.IReadOnlyList<DiskAttachment> Disks { get; init; } = System.Array.Empty<DiskAttachment>();
}
