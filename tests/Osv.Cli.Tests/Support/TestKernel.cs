using System;
using System.IO;
using Osv.Cli.Build;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Tests.Support;

/// <summary>
/// A throw-away repository laid out like the real one, holding the tiny PVH test kernel
/// (TestKernel/): boot assembly in src/Osv.Arch.X64/Boot, the linker script in src/Osv.Kernel,
/// and a gcc-built build/x64/obj/kernel.o standing in for ILC's output. Linked once per test
/// run through <see cref="KernelBuilder"/>'s real assemble and two-pass link steps.
/// </summary>
public sealed class TestKernel
{
    private static readonly Lazy<TestKernel> Instance = new(() => Create(LinkerScriptFile));

    private TestKernel(RepositoryLayout layout, LinkResult link, string buildLog)
    {
        Layout = layout;
        Link = link;
        BuildLog = buildLog;
    }

    public const string LinkerScriptFile = "linker.ld";

    /// <summary>The test kernel, built on first use and shared by every test.</summary>
    public static TestKernel Shared => Instance.Value;

    public RepositoryLayout Layout { get; }
    public LinkResult Link { get; }
    public string BuildLog { get; }
    public string Image => Layout.Image;

    public static string SourceDirectory => Path.Combine(AppContext.BaseDirectory, "TestKernel");

    /// <summary>Lays out a repository with the given linker script (from TestKernel/ or a full path) in /tmp and links it.</summary>
    public static TestKernel Create(string linkerScript)
    {
        return LinkRepository(CreateRepository(linkerScript));
    }

    /// <summary>Assembles and links a repository laid out by <see cref="CreateRepository"/> (after a test changed it).</summary>
    public static TestKernel LinkRepository(RepositoryLayout layout)
    {
        var log = new StringWriter();
        var builder = new KernelBuilder(layout, log);
        LinkResult link = builder.LinkWithSymbolTable(builder.AssembleBoot());
        return new TestKernel(layout, link, log.ToString());
    }

    /// <summary>The sources and kernel.o in place, nothing linked yet.</summary>
    public static RepositoryLayout CreateRepository(string linkerScript)
    {
        string root = Path.Combine(Path.GetTempPath(), "osv-test-kernel-" + Guid.NewGuid().ToString("N"));
        var layout = new RepositoryLayout(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);

        Directory.CreateDirectory(layout.BootSourceDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.LinkerScript)!);
        Directory.CreateDirectory(layout.ObjectDirectory);
        File.Copy(Path.Combine(SourceDirectory, "pvh_entry.asm"), Path.Combine(layout.BootSourceDirectory, "pvh_entry.asm"));
        File.Copy(Path.Combine(SourceDirectory, linkerScript), layout.LinkerScript);
        // The build refuses to link without the list of musl members that issue system calls.
        Directory.CreateDirectory(Path.GetDirectoryName(layout.MuslOsMembers)!);
        File.WriteAllText(layout.MuslOsMembers, "# the test kernel links no musl code\nwrite.lo\n");

        // kernel.o = the C functions plus the GNU as labels, merged like ILC's single object.
        string cObject = Path.Combine(layout.ObjectDirectory, "kernel_c.o");
        string labelsObject = Path.Combine(layout.ObjectDirectory, "labels.o");
        Tools.Run(root, "gcc", "-O0", "-ffreestanding", "-fno-pic", "-fno-asynchronous-unwind-tables", "-fno-stack-protector",
            "-c", "-o", cObject, Path.Combine(SourceDirectory, "kernel.c"));
        Tools.Run(root, "gcc", "-c", "-Wa,-L", "-o", labelsObject, Path.Combine(SourceDirectory, "labels.s"));
        Tools.Run(root, "ld", "-r", "-o", layout.KernelObject, cObject, labelsObject);
        return layout;
    }

    private static void TryDelete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
