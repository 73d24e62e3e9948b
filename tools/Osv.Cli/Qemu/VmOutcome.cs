namespace Osv.Cli.Qemu;

/// <summary>How a VM run ended, from `osv run`'s point of view.</summary>
public enum VmOutcome
{
    /// <summary>The kernel reported an exit status through isa-debug-exit.</summary>
    Exited,

    /// <summary>The kernel reported status 127: it panicked.</summary>
    KernelPanic,

    /// <summary>QEMU stopped with status 0: the VM reset (a triple fault under -no-reboot) without reporting a status.</summary>
    ResetWithoutStatus,

    /// <summary>The VM ran past the timeout and was killed.</summary>
    TimedOut,

    /// <summary>QEMU itself failed: not installed, bad option, unloadable kernel.</summary>
    QemuFailed,
}
