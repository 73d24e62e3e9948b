using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;

namespace Osv.Cli.Qemu;

/// <summary>
/// Decides whether QEMU can use KVM here. An openable /dev/kvm is not enough: nested KVM may
/// reject `-cpu max` (QEMU then aborts on its first MSR write), so QEMU is started once, paused,
/// with the same machine and CPU, and told to quit; KVM counts as usable only if that succeeds.
/// The answer is cached per machine type for the life of the process.
/// </summary>
public static class KvmProbe
{
    private const string KvmDevice = "/dev/kvm";
    private static readonly ConcurrentDictionary<string, bool> Answers = new(StringComparer.Ordinal);

    public static bool IsUsable(string machine) => Answers.GetOrAdd(machine, Probe);

    private static bool Probe(string machine)
    {
        if (!CanOpenDevice())
            return false;
        try
        {
            var startInfo = new ProcessStartInfo(QemuRunner.QemuProgram)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                "-accel", "kvm", "-machine", machine, "-cpu", "max", "-m", "16M", "-nodefaults",
                "-display", "none", "-net", "none", "-no-reboot", "-S", "-monitor", "stdio",
            })
            {
                startInfo.ArgumentList.Add(argument);
            }
            using Process process = Process.Start(startInfo)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            process.StandardInput.WriteLine("quit");
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool CanOpenDevice()
    {
        try
        {
            using var handle = File.OpenHandle(KvmDevice, FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
