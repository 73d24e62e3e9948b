using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace Osv.Integration.Tests;

/// <summary>
/// Images holding programs nobody here wrote: Debian's binaries from this machine, each with every
/// library `ldd` lists at the same path (libc.so.6 and libm.so.6 included, although the kernel stands
/// in for them), plus data files from tests/apps/debian.
/// </summary>
public static class DebianPrograms
{
    /// <summary>The libraries ldd resolves for <paramref name="program"/>, by path (the vDSO has none).</summary>
    public static List<string> LibrariesLddLists(string program)
    {
        var start = new ProcessStartInfo("ldd", program) { RedirectStandardOutput = true, UseShellExecute = false };
        using Process ldd = Process.Start(start)!;
        string output = ldd.StandardOutput.ReadToEnd();
        ldd.WaitForExit();
        Assert.Equal(0, ldd.ExitCode);
        var libraries = new List<string>();
        foreach (Match match in Regex.Matches(output, @"=> (/\S+)"))
            libraries.Add(match.Groups[1].Value);
        return libraries;
    }

    /// <summary>An image named <paramref name="name"/> with <paramref name="programs"/> (absolute paths), their libraries, and tests/apps/debian/<paramref name="dataFiles"/> at /.</summary>
    public static string Image(string name, string[] programs, params string[] dataFiles)
    {
        var files = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string program in programs)
        {
            Assert.True(File.Exists(program), program + " is missing: `osv` installs it from Debian");
            if (seen.Add(program))
                files.Add((program, program));
            foreach (string library in LibrariesLddLists(program))
            {
                if (seen.Add(library))
                    files.Add((library, library));
            }
        }
        foreach (string data in dataFiles)
            files.Add(("/" + data, Path.Combine(Kernel.Layout.Root, "tests", "apps", "debian", data)));
        return ApplicationTests.Image(name, files.ToArray());
    }
}
