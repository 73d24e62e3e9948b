using System;
using System.IO;

namespace Osv.Cli.Infrastructure;

/// <summary>Every path in the repository that the CLI reads or writes.</summary>
public sealed class RepositoryLayout
{
    public const string RootEnvironmentVariable = "OSV_REPO_ROOT";
    public const string SupportedArch = "x64";

    public const string MuslArchive = "/usr/lib/x86_64-linux-musl/libc.a";

    public RepositoryLayout(string root, string arch = SupportedArch, bool testImage = false, bool hideSymbols = false)
    {
        Root = Path.GetFullPath(root);
        Arch = arch;
        TestImage = testImage;
        HideSymbols = hideSymbols;
    }

    public string Root { get; }
    public string Arch { get; }

    /// <summary>The test image (`osv build --tests`: in-kernel suites, run-time stack-rule checks) in build/&lt;arch&gt;-tests/.</summary>
    public bool TestImage { get; }

    /// <summary>
    /// `osv build --hide-symbols`: only the listed symbols exported, unreferenced code dropped; linked
    /// into build/&lt;arch&gt;-hidden/ from the same ILC output as the default image.
    /// </summary>
    public bool HideSymbols { get; }

    /// <summary>The same repository and architecture, for the other image.</summary>
    public RepositoryLayout WithTestImage(bool testImage) => new(Root, Arch, testImage, HideSymbols);

    public RepositoryLayout WithHiddenSymbols(bool hideSymbols) => new(Root, Arch, TestImage, hideSymbols);

    public string Solution => Path.Combine(Root, "Osv.sln");
    public string SourceDirectory => Path.Combine(Root, "src");
    public string KernelProject => Path.Combine(Root, "src", "Osv.Kernel", "Osv.Kernel.csproj");
    public string LinkerScript => Path.Combine(Root, "src", "Osv.Kernel", $"linker.{Arch}.ld");
    public string BootSourceDirectory => Path.Combine(Root, "src", "Osv.Arch.X64", "Boot");

    public string ExportedSymbolsDirectory => Path.Combine(Root, "exported_symbols");
    public string MuslOsMembers => Path.Combine(Root, "src", "Osv.Kernel", "Libc", "musl-os-members.txt");
    /// <summary>`old new` lines: musl symbols renamed in the kernel's copy of libc.a (names the C# libc defines itself).</summary>
    public string MuslRenamedSymbols => Path.Combine(Root, "src", "Osv.Kernel", "Libc", "musl-renamed-symbols.txt");

    public string ArchBuildDirectory => Path.Combine(Root, "build", Arch + (TestImage ? "-tests" : "") + (HideSymbols ? "-hidden" : ""));
    public string ObjectDirectory => Path.Combine(ArchBuildDirectory, "obj");
    public string BootObjectDirectory => Path.Combine(ObjectDirectory, "boot");
    /// <summary>ILC's output, written by the kernel project (the hidden image reuses the default one's).</summary>
    public string KernelObject => Path.Combine(Root, "build", Arch + (TestImage ? "-tests" : ""), "obj", "kernel.o");
    /// <summary>The kernel's copy of musl's libc.a with <see cref="MuslRenamedSymbols"/> applied.</summary>
    public string MuslKernelArchive => Path.Combine(ObjectDirectory, "libc-musl.a");
    public string VersionScript => Path.Combine(ObjectDirectory, "exports.ver");
    /// <summary>An empty shared object: linked --as-needed, it makes GNU ld create the dynamic sections.</summary>
    public string DynamicAnchorAssembly => Path.Combine(ObjectDirectory, "dynamic-anchor.asm");
    public string DynamicAnchorObject => Path.Combine(ObjectDirectory, "dynamic-anchor.o");
    public string DynamicAnchor => Path.Combine(ObjectDirectory, "libosv-dynamic-anchor.so");
    public string KsymsBlob => Path.Combine(ObjectDirectory, "ksyms.bin");
    public string KsymsAssembly => Path.Combine(ObjectDirectory, "ksyms.asm");
    public string KsymsObject => Path.Combine(ObjectDirectory, "ksyms.o");
    public string BootfsBlob => Path.Combine(ObjectDirectory, "bootfs.bin");
    public string BootfsAssembly => Path.Combine(ObjectDirectory, "bootfs.asm");
    public string BootfsObject => Path.Combine(ObjectDirectory, "bootfs.o");
    public string Image => Path.Combine(ArchBuildDirectory, "loader.elf");
    public string LinkMap => Path.Combine(ArchBuildDirectory, "loader.map");
    public string UsrImage => Path.Combine(ArchBuildDirectory, "usr.img");

    public string TestResultsDirectory => Path.Combine(Root, "build", "test-results");

    /// <summary>A path relative to the repository root, for messages.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path);

    /// <summary>
    /// The repository the CLI works on: $OSV_REPO_ROOT (set by ./osv), else the nearest
    /// directory at or above the current one that holds Osv.sln.
    /// </summary>
    public static RepositoryLayout Locate(string arch = SupportedArch, bool testImage = false, bool hideSymbols = false)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(RootEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (!Directory.Exists(fromEnvironment))
                throw new OsvException($"{RootEnvironmentVariable}={fromEnvironment} is not a directory");
            return new RepositoryLayout(fromEnvironment, arch, testImage, hideSymbols);
        }

        string? root = FindUpwards(Directory.GetCurrentDirectory(), "Osv.sln")
            ?? throw new OsvException("cannot find the repository (no Osv.sln here or above); run osv from inside it");
        return new RepositoryLayout(root, arch, testImage, hideSymbols);
    }

    /// <summary>The nearest directory at or above <paramref name="start"/> that contains <paramref name="marker"/>.</summary>
    public static string? FindUpwards(string start, string marker)
    {
        for (DirectoryInfo? directory = new(start); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, marker)))
                return directory.FullName;
        }
        return null;
    }
}
