using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Osv.Cli.Qemu;

namespace Osv.Cli.CommandLine;

/// <summary>The options of `osv run`.</summary>
public sealed record RunOptions
{
    /// <summary>The kernel command line; without -e, the default application (the image's /hello).</summary>
    public string CommandLine { get; init; } = Images.DefaultApplication.GuestPath;
    public string Memory { get; init; } = QemuOptions.DefaultMemory;
    public int Cpus { get; init; } = 1;
    public string Machine { get; init; } = QemuOptions.DefaultMachine;
    public TimeSpan Timeout { get; init; } = QemuOptions.DefaultTimeout;
    public bool NoBuild { get; init; }
    public bool TestImage { get; init; }
    public int? InstructionCountShift { get; init; }
    public string Arch { get; init; } = Infrastructure.RepositoryLayout.SupportedArch;
    public bool ShowHelp { get; init; }
    public IReadOnlyList<DiskAttachment> Disks { get; init; } = Array.Empty<DiskAttachment>();

    /// <summary>--no-disk: do not attach build/&lt;arch&gt;/usr.img by itself.</summary>
    public bool NoDisk { get; init; }

    public static RunOptions Parse(IReadOnlyList<string> arguments)
    {
        var options = new RunOptions();
        var reader = new ArgumentReader(arguments, Usage.Run);
        for (string? option = reader.NextOption(); option != null; option = reader.NextOption())
        {
            switch (option)
            {
                case "-e":
                case "--execute":
                    options = options with { CommandLine = reader.Value(option) };
                    break;
                case "--memory":
                    string memory = reader.Value(option);
                    if (!Regex.IsMatch(memory, "^[1-9][0-9]*[KMGkmg]?$"))
                        throw reader.Error($"option {option}: '{memory}' is not a memory size like 128M or 1G");
                    options = options with { Memory = memory.ToUpperInvariant() };
                    break;
                case "--cpus":
                    string cpus = reader.Value(option);
                    if (!int.TryParse(cpus, NumberStyles.None, CultureInfo.InvariantCulture, out int cpuCount) || cpuCount < 1 || cpuCount > 255)
                        throw reader.Error($"option {option}: '{cpus}' is not a CPU count from 1 to 255");
                    options = options with { Cpus = cpuCount };
                    break;
                case "--machine":
                    string machine = reader.Value(option);
                    if (!QemuOptions.Machines.Contains(machine))
                        throw reader.Error($"option {option}: unknown machine '{machine}' (use {string.Join(" or ", QemuOptions.Machines)})");
                    options = options with { Machine = machine };
                    break;
                case "--timeout":
                    string timeout = reader.Value(option);
                    if (!double.TryParse(timeout, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0 || seconds > 86400)
                        throw reader.Error($"option {option}: '{timeout}' is not a number of seconds");
                    options = options with { Timeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--no-build":
                    reader.NoValue(option);
                    options = options with { NoBuild = true };
                    break;
                case "--icount":
                    string shift = reader.Value(option);
                    if (!int.TryParse(shift, NumberStyles.None, CultureInfo.InvariantCulture, out int shiftValue) || shiftValue > 10)
                        throw reader.Error($"option {option}: '{shift}' is not an instruction-count shift from 0 to 10");
                    options = options with { InstructionCountShift = shiftValue };
                    break;
                case "--tests":
                    reader.NoValue(option);
                    options = options with { TestImage = true };
                    break;
                case "--arch":
                    options = options with { Arch = ArchOption.Parse(reader, option) };
                    break;
                case "--disk":
                case "--disk-legacy":
                    string disk = reader.Value(option);
                    if (disk.Length == 0)
                        throw reader.Error($"option {option}: needs a disk image file");
                    options = options with { Disks = options.Disks.Append(new DiskAttachment(disk, option == "--disk-legacy")).ToArray() };
                    break;
                case "--no-disk":
                    reader.NoValue(option);
                    options = options with { NoDisk = true };
                    break;
                case "-h":
                case "--help":
                    options = options with { ShowHelp = true };
                    break;
                default:
                    throw reader.Unknown(option);
            }
        }
        if (options.Disks.Count > 0 && options.Machine != "q35")
            throw reader.Error($"option --disk: virtio-blk disks are PCI devices; machine '{options.Machine}' has no PCI (use q35)");
        return options;
    }
}
