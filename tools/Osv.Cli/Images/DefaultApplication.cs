using System.Diagnostics;
using System.IO;
using Osv.Cli.Infrastructure;
using Osv.Vfs.Bootfs.Host;

namespace Osv.Cli.Images;

/// <summary>
/// The application every image carries unless a bootfs manifest replaces it: tests/apps/hello.c,
/// compiled by the machine's gcc as a static PIE against Debian's musl (rcrt1.o relocates it; the
/// kernel has no dynamic linker yet), packed as /hello into the image's bootfs. `osv run` without
/// -e runs it.
/// </summary>
public static class DefaultApplication
{
    public const string GuestPath = "/hello";
    private const string MuslLibraries = "/usr/lib/x86_64-linux-musl";
    private const string MuslHeaders = "/usr/include/x86_64-linux-musl";

    /// <summary>The bootfs archive with the default application, or an empty one (and a note in the log) when it cannot be built here.</summary>
    public static byte[] BootfsArchive(RepositoryLayout layout, TextWriter log)
    {
        var writer = new BootfsArchiveWriter();
        string? program = Compile(layout, log);
        if (program != null)
            writer.AddHostFile(GuestPath.TrimStart('/'), program);
        return writer.Build();
    }

    /// <summary>The default application built on this machine (compiled when stale), or null when it cannot be.</summary>
    public static string? Compile(RepositoryLayout layout, TextWriter log)
    {
        string source = Path.Combine(layout.Root, "tests", "apps", "hello.c");
        if (!File.Exists(source))
            return null; // a repository without the sample (the CLI's own tests): an empty bootfs
        string output = Path.Combine(layout.Root, "build", "apps", "hello");
        if (File.Exists(output) && File.GetLastWriteTimeUtc(output) > File.GetLastWriteTimeUtc(source))
            return output;
        if (!File.Exists(Path.Combine(MuslLibraries, "rcrt1.o")))
        {
            log.WriteLine($"osv build: no default application: {MuslLibraries}/rcrt1.o is missing (Debian package musl-dev)");
            return null;
        }
        log.WriteLine($"osv build: compiling the default application ({layout.Relative(source)}, static PIE with musl)");
        CompileStaticPieWithMusl(source, output, layout.Root);
        return output;
    }

    /// <summary>
    /// gcc with Debian's musl as a static PIE: rcrt1.o relocates the program itself, so it needs no
    /// dynamic linker (x86_64-linux-musl-gcc's specs would pick Scrt1.o, which crashes at start-up).
    /// </summary>
    public static void CompileStaticPieWithMusl(string source, string output, string workingDirectory)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        ExternalCommand.RunChecked("gcc", new[]
        {
            "-O2", "-fPIE", "-static-pie", "-nostdlib", "-nostartfiles", "-isystem", MuslHeaders, "-o", output,
            Path.Combine(MuslLibraries, "rcrt1.o"), Path.Combine(MuslLibraries, "crti.o"), source,
            "-L" + MuslLibraries, "-lc", "-lgcc", Path.Combine(MuslLibraries, "crtn.o"),
        }, workingDirectory);
    }
}
