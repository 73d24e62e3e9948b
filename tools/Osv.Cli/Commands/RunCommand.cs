using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Osv.Cli.Build;
using Osv.Cli.CommandLine;
using Osv.Cli.Infrastructure;
using Osv.Cli.Qemu;

namespace Osv.Cli.Commands;

/// <summary>`osv run`: (re)builds if needed, boots the image in QEMU, exits with the kernel's status.</summary>
public static class RunCommand
{
    private const int InterruptedStatus = 130;

    public static int Execute(IReadOnlyList<string> arguments)
    {
        RunOptions options = RunOptions.Parse(arguments);
        if (options.ShowHelp)
        {
            Console.Out.Write(Usage.Run);
            return 0;
        }

        RepositoryLayout layout = RepositoryLayout.Locate(options.Arch, options.TestImage);
        if (!options.NoBuild && !ImageFreshness.IsUpToDate(layout))
        {
            // Build progress goes to stderr so that stdout carries only the guest's console.
            new KernelBuilder(layout, Console.Error).Build();
        }
        else if (!File.Exists(layout.Image))
        {
            throw new OsvException($"{layout.Relative(layout.Image)} does not exist; run ./osv build{(layout.TestImage ? " --tests" : "")} first");
        }

        // The image osv build --manifest made is the disk, unless disks are given or --no-disk says no.
        IReadOnlyList<DiskAttachment> disks = options.Disks;
        if (disks.Count == 0 && !options.NoDisk && options.Machine == "q35" && File.Exists(layout.UsrImage))
        {
            Console.Error.WriteLine($"osv run: attaching {layout.Relative(layout.UsrImage)} as virtio-blk (--no-disk: boot without it)");
            disks = new[] { new DiskAttachment(layout.UsrImage) };
        }

        var qemuOptions = new QemuOptions(layout.Image)
        {
            CommandLine = options.CommandLine,
            Memory = options.Memory,
            Cpus = options.Cpus,
            Machine = options.Machine,
            Timeout = options.Timeout,
            InstructionCountShift = options.InstructionCountShift,
            Disks = disks,
        };

        using var interrupted = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // stay alive long enough to stop QEMU
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            using Stream stdout = Console.OpenStandardOutput();
            using Stream stderr = Console.OpenStandardError();
            VmRunResult result = new QemuRunner()
                .RunAsync(qemuOptions, stdout, stderr, interrupted.Token)
                .GetAwaiter().GetResult();
            string? diagnostic = result.Diagnostic(options.Timeout);
            if (diagnostic != null)
            {
                if (result.SerialOutput.Length > 0 && !result.SerialOutput.EndsWith('\n'))
                    Console.Error.WriteLine();
                Console.Error.WriteLine(diagnostic);
            }
            return result.Status;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("osv: interrupted");
            return InterruptedStatus;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
