using System;
using System.Diagnostics;
using System.IO;

namespace Osv.Integration.Tests;

/// <summary>Compiles tests/apps/*.c with the machine's gcc into build/test-apps/ (once per test run and variant).</summary>
public static class TestApps
{
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
            Osv.Cli.Images.DefaultApplication.CompileStaticPieWithMusl(source, output, Root);
        }
        return output;
    }

    /// <summary>An ordinary glibc PIE (interpreter /lib64/ld-linux-x86-64.so.2, DT_NEEDED libc.so.6): `gcc -O2`.</summary>
    public static string GlibcPie(string name) => Glibc(name, "glibc-pie", "-O2");

    /// <summary>A glibc PIE compiled with -D<paramref name="define"/>, in its own variant directory.</summary>
    public static string GlibcPieDefining(string name, string define) => Glibc(name, "glibc-pie-" + define.ToLowerInvariant(), "-O2", "-D" + define);

    /// <summary>Debian's hardening flags: fortified calls (__printf_chk), stack protector, BIND_NOW.</summary>
    public static string GlibcHardenedPie(string name) =>
        Glibc(name, "glibc-hardened", "-O2", "-D_FORTIFY_SOURCE=2", "-fstack-protector-strong", "-Wl,-z,now", "-Wl,-z,relro");

    /// <summary>OSv's old style: a shared object exporting main, run by path.</summary>
    public static string GlibcSharedObject(string name) => Glibc(name, "glibc-so", "-O2", "-shared", "-fPIC");

    /// <summary>glibc linked in statically as a PIE (`gcc -static-pie`): relocates itself, enters the kernel through `syscall`.</summary>
    public static string GlibcStaticPie(string name) => Glibc(name, "glibc-static-pie", "-O2", "-static-pie");

    /// <summary>glibc linked in statically at a fixed address (`gcc -static`), which the kernel refuses by name.</summary>
    public static string GlibcStatic(string name) => Glibc(name, "glibc-static", "-O2", "-static");

    /// <summary>A glibc PIE that also needs libosvstub.so.1, a library no disk carries.</summary>
    public static string GlibcPieNeedingAMissingLibrary(string name)
    {
        string directory = Path.Combine(Root, "build", "test-apps", "glibc-stub");
        string stub = Path.Combine(directory, "libosvstub.so.1");
        lock (Gate)
        {
            Directory.CreateDirectory(directory);
            string source = Path.Combine(directory, "stub.c");
            File.WriteAllText(source, "int osv_stub_function(int x) { return x; }\n");
            Run("gcc", "-shared", "-fPIC", "-Wl,-soname,libosvstub.so.1", "-o", stub, source);
        }
        return Glibc(name, "glibc-needs-stub", "-O2", "-Wl,--no-as-needed", stub);
    }

    /// <summary>tests/apps/lib&lt;name&gt;.c as a glibc shared library: `gcc -O2 -shared -fPIC -o lib&lt;name&gt;.so`.</summary>
    public static string GlibcLibrary(string name)
    {
        string source = Path.Combine(Root, "tests", "apps", "lib" + name + ".c");
        string output = Path.Combine(Root, "build", "test-apps", "glibc-libraries", "lib" + name + ".so");
        lock (Gate)
        {
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(source))
                return output;
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Run("gcc", "-O2", "-shared", "-fPIC", "-o", output, source);
        }
        return output;
    }

    /// <summary>A glibc PIE linked against lib&lt;library&gt;.so (<see cref="GlibcLibrary"/>) with RUNPATH /lib: `-L&lt;dir&gt; -l&lt;library&gt; -Wl,-rpath,/lib`, plus <paramref name="flags"/>.</summary>
    public static string GlibcPieWithLibrary(string name, string library, params string[] flags)
    {
        string libraryPath = GlibcLibrary(library);
        string source = Path.Combine(Root, "tests", "apps", name + ".c");
        string output = Path.Combine(Root, "build", "test-apps", "glibc-with-library", name);
        lock (Gate)
        {
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(source)
                && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(libraryPath))
                return output;
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Run("gcc", ["-O2", .. flags, "-o", output, source, "-L" + Path.GetDirectoryName(libraryPath), "-l" + library, "-Wl,-rpath,/lib"]);
        }
        return output;
    }

    /// <summary>True when the machine has g++ (the C++ programs need it).</summary>
    public static bool HasCxxCompiler => Array.Exists((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'),
        directory => directory.Length > 0 && File.Exists(Path.Combine(directory, "g++")));

    /// <summary>
    /// tests/apps/&lt;name&gt;.cpp as a glibc PIE with libstdc++ and libgcc linked in (`g++ -O2 -static-libstdc++
    /// -static-libgcc`): the program needs only libc.so.6, and libgcc's unwinder calls _dl_find_object.
    /// </summary>
    public static string GlibcCxxPie(string name)
    {
        string source = Path.Combine(Root, "tests", "apps", name + ".cpp");
        string output = Path.Combine(Root, "build", "test-apps", "glibc-cxx", name);
        lock (Gate)
        {
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(source))
                return output;
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Run("g++", "-O2", "-static-libstdc++", "-static-libgcc", "-o", output, source);
        }
        return output;
    }

    /// <summary>
    /// tests/apps/&lt;name&gt;.cpp as plain `g++ -O2` builds it: a glibc PIE needing libstdc++.so.6 and
    /// libgcc_s.so.1, which the image must carry (<see cref="DebianPrograms.LibrariesLddLists"/>).
    /// </summary>
    public static string GlibcCxxPieWithSharedRuntime(string name)
    {
        string source = Path.Combine(Root, "tests", "apps", name + ".cpp");
        string output = Path.Combine(Root, "build", "test-apps", "glibc-cxx-shared", name);
        lock (Gate)
        {
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(source))
                return output;
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Run("g++", "-O2", "-o", output, source);
        }
        return output;
    }

    private static string Glibc(string name, string variant, params string[] flags)
    {
        string source = Path.Combine(Root, "tests", "apps", name + ".c");
        string output = Path.Combine(Root, "build", "test-apps", variant, name);
        lock (Gate)
        {
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(source))
                return output;
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            // Libraries named by path go after the source, as the linker wants them.
            string[] options = Array.FindAll(flags, flag => !flag.StartsWith('/'));
            string[] libraries = Array.FindAll(flags, flag => flag.StartsWith('/'));
            Run("gcc", [.. options, "-o", output, source, .. libraries]);
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
