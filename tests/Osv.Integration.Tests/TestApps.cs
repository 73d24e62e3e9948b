using System;
using System.Diagnostics;
using System.IO;

namespace Osv.Integration.Tests;

/// <summary>Compiles tests/apps/*.c with the machine's gcc into build/test-apps/ (once per test run and variant).</summary>
public static class TestApps
{
    private const string MuslLibraries = "/usr/lib/x86_64-linux-musl";
    private const string MuslHeaders = "/usr/include/x86_64-linux-musl";
    private static readonly object Gate = new();

    private static string Root => Kernel.Layout.Root;

    /// <summary>
    /// A static PIE against Debian's musl: rcrt1.o relocates the program itself, so it needs no
    /// dynamic linker (x86_64-linux-musl-gcc's specs would pick Scrt1.o and crash at start-up).
    /// </summary>
    public static string StaticPieWithMusl(string name)
    {
        string source = Path.Combine(Root, "tests", "apps", name + ".c");
        string output = Path.Combine(Root, "build", "test-apps", "musl-static-pie", name);
        lock (Gate)
        {
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(source))
                return output;
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Run("gcc", "-O2", "-fPIE", "-static-pie", "-nostdlib", "-nostartfiles", "-isystem", MuslHeaders,
                "-o", output,
                Path.Combine(MuslLibraries, "rcrt1.o"), Path.Combine(MuslLibraries, "crti.o"), source,
                "-L" + MuslLibraries, "-lc", "-lgcc", Path.Combine(MuslLibraries, "crtn.o"));
        }
        return output;
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        string errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{errors}");
    }
}
