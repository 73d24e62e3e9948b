using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Osv.Cli.Elf;
using Osv.Cli.Infrastructure;
using Osv.Cli.Symbols;

namespace Osv.Cli.Build;

/// <summary>
/// Builds build/&lt;arch&gt;/loader.elf: ILC (through the kernel project's MSBuild target), the
/// boot assembly, then a two-pass link that embeds the kernel's own symbol table (.ksyms), with
/// musl's libc.a last on the line (leaf members only, <see cref="MuslLinkCheck"/>) and the export
/// lists as the version script of the image's dynamic symbol table (<see cref="VersionScript"/>).
/// Each step prints one line to <c>log</c>; a failing step throws with the command's output.
/// </summary>
public sealed class KernelBuilder
{
    private readonly RepositoryLayout _layout;
    private readonly TextWriter _log;

    public KernelBuilder(RepositoryLayout layout, TextWriter log, byte[]? bootfsArchive = null)
    {
        _layout = layout;
        _log = log;
        _bootfsArchive = bootfsArchive ?? Images.DefaultApplication.BootfsArchive(layout, log);
    }

    private readonly byte[] _bootfsArchive;

    public LinkResult Build()
    {
        if (_layout.HideSymbols)
            Step("hiding unlisted symbols (" + _layout.Relative(_layout.ArchBuildDirectory) + ")");
        CompileKernel();
        IReadOnlyList<string> bootObjects = AssembleBoot();
        LinkResult result = LinkWithSymbolTable(bootObjects);
        Step($"{_layout.Relative(result.Image)} is {result.ImageBytes} bytes");
        return result;
    }

    /// <summary>Step 1: the kernel project's own target runs ILC and writes obj/kernel.o.</summary>
    public void CompileKernel()
    {
        RequireFile(_layout.KernelProject, "the kernel project");
        Step($"compiling the kernel ({_layout.Relative(_layout.KernelProject)})");
        Run("dotnet", "build", _layout.Relative(_layout.KernelProject), "-c", "Release", "-p:KernelFlavor=true",
            _layout.TestImage ? "-p:OsvTestImage=true" : "-p:OsvTestImage=false", "-nologo", "-v:q");
        if (!File.Exists(_layout.KernelObject))
            throw new OsvException($"{_layout.Relative(_layout.KernelProject)} built but did not write {_layout.Relative(_layout.KernelObject)}");
    }

    /// <summary>Step 2: every boot .asm file becomes obj/boot/&lt;name&gt;.o. Returns the objects in link order.</summary>
    public IReadOnlyList<string> AssembleBoot()
    {
        string sourceDirectory = _layout.BootSourceDirectory;
        string[] sources = Directory.Exists(sourceDirectory)
            ? Directory.GetFiles(sourceDirectory, "*.asm").OrderBy(path => path, StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();
        if (sources.Length == 0)
            throw new OsvException($"no boot sources (*.asm) in {_layout.Relative(sourceDirectory)}");

        Step($"assembling {sources.Length} boot file{(sources.Length == 1 ? "" : "s")} ({_layout.Relative(sourceDirectory)})");
        // Start empty so an object whose source was deleted cannot linger.
        if (Directory.Exists(_layout.BootObjectDirectory))
            Directory.Delete(_layout.BootObjectDirectory, recursive: true);
        Directory.CreateDirectory(_layout.BootObjectDirectory);

        string includeDirectory = _layout.Relative(sourceDirectory) + "/";
        var objects = new List<string>();
        foreach (string source in sources)
        {
            string output = Path.Combine(_layout.BootObjectDirectory, Path.GetFileNameWithoutExtension(source) + ".o");
            Run("nasm", "-f", "elf64", "-I", includeDirectory, "-o", _layout.Relative(output), _layout.Relative(source));
            objects.Add(output);
        }
        return objects;
    }

    /// <summary>
    /// Step 3: link with an empty .ksyms, read the code symbols back from the image, link again
    /// with the real table, and prove the second link moved no code.
    /// </summary>
    public LinkResult LinkWithSymbolTable(IReadOnlyList<string> bootObjects)
    {
        RequireFile(_layout.LinkerScript, "the linker script");
        RequireFile(_layout.KernelObject, "the kernel object");
        Directory.CreateDirectory(_layout.ObjectDirectory);

        RequireFile(RepositoryLayout.MuslArchive, "musl's static C library (package musl-dev)");
        ExportedSymbolLists exports = ExportedSymbolLists.Load(_layout.ExportedSymbolsDirectory, _layout.Arch);
        IReadOnlyList<string> forbiddenMembers = MuslLinkCheck.ReadForbiddenMembers(_layout.MuslOsMembers);
        File.WriteAllText(_layout.VersionScript, VersionScript.Write(exports, _layout.HideSymbols));
        WriteDynamicAnchor();

        WriteBootfsObject();
        PrepareMuslArchive();
        Step("linking (pass 1, empty symbol table)");
        WriteSymbolTableObject(KsymsBlob.Empty);
        Link(bootObjects, exports);
        IReadOnlyList<ArchiveMember> muslMembers = MuslLinkCheck.Check(File.ReadAllText(_layout.LinkMap), _muslArchive, forbiddenMembers);
        IReadOnlyList<KernelSymbol> firstPass = KernelSymbolSelector.Select(Elf64File.Load(_layout.Image));
        if (firstPass.Count == 0)
            throw new OsvException($"{_layout.Relative(_layout.Image)} has no code symbols (was it stripped?)");

        Step($"linking (pass 2, {firstPass.Count} kernel symbols)");
        byte[] blob = KsymsBlob.Write(firstPass);
        WriteSymbolTableObject(blob);
        Link(bootObjects, exports);

        Elf64File image = Elf64File.Load(_layout.Image);
        string? moved = CodeLayoutCheck.FindMovedSymbol(firstPass, KernelSymbolSelector.Select(image));
        if (moved != null)
            throw new OsvException($"symbol table moved code: {moved}");
        RequireEmbeddedBlob(image, blob);
        ExportCheck.RequireListedExported(image, exports, _layout.Relative(_layout.Image));
        Step($"{muslMembers.Count} musl members linked, {image.DynamicSymbols.Count} dynamic symbols");

        return new LinkResult(_layout.Image, new FileInfo(_layout.Image).Length, firstPass);
    }

    // GNU ld creates .dynsym/.gnu.hash/.dynamic for an executable only when a shared object takes part
    // in the link; this empty one does, and --as-needed keeps it out of DT_NEEDED.
    private void WriteDynamicAnchor()
    {
        File.WriteAllText(_layout.DynamicAnchorAssembly, "; Generated by osv build: an empty shared object (see linker.x64.ld).\n");
        Run("nasm", "-f", "elf64", "-o", _layout.Relative(_layout.DynamicAnchorObject), _layout.Relative(_layout.DynamicAnchorAssembly));
        Run("ld", "-shared", "--hash-style=gnu", "-soname", "libosv-dynamic-anchor.so", "-o", _layout.Relative(_layout.DynamicAnchor),
            _layout.Relative(_layout.DynamicAnchorObject));
    }

    private void WriteSymbolTableObject(byte[] blob)
    {
        File.WriteAllBytes(_layout.KsymsBlob, blob);
        File.WriteAllText(_layout.KsymsAssembly,
            "; Generated by osv build: the kernel's symbol table, placed last by the linker script.\n" +
            "section .ksyms progbits alloc noexec nowrite align=8\n" +
            $"incbin \"{_layout.KsymsBlob}\"\n");
        Run("nasm", "-f", "elf64", "-o", _layout.Relative(_layout.KsymsObject), _layout.Relative(_layout.KsymsAssembly));
    }

    // The bootfs archive (an empty one by default) goes into .bootfs, after .ksyms (linker.x64.ld).
    private void WriteBootfsObject()
    {
        File.WriteAllBytes(_layout.BootfsBlob, _bootfsArchive);
        File.WriteAllText(_layout.BootfsAssembly,
            "; Generated by osv build: the bootfs archive the kernel unpacks into its ramfs root.\n" +
            "section .bootfs progbits alloc noexec nowrite align=16\n" +
            $"incbin \"{_layout.BootfsBlob}\"\n");
        Run("nasm", "-f", "elf64", "-o", _layout.Relative(_layout.BootfsObject), _layout.Relative(_layout.BootfsAssembly));
    }

    private void Link(IReadOnlyList<string> bootObjects, ExportedSymbolLists exports)
    {
        var arguments = new List<string>
        {
            "-nostdlib", "-z", "noexecstack", "-z", "max-page-size=4096", "--no-warn-rwx-segments",
            // Dynamic symbols without a program interpreter; every global is a candidate and the
            // version script decides (with hiding: only the listed ones).
            "--no-dynamic-linker", "--hash-style=gnu", "--export-dynamic",
            "--version-script", _layout.Relative(_layout.VersionScript),
            "-T", _layout.Relative(_layout.LinkerScript),
            "-Map", _layout.Relative(_layout.LinkMap),
            "-o", _layout.Relative(_layout.Image),
        };
        if (_layout.HideSymbols)
            arguments.Add("--gc-sections");
        // Nothing in the kernel calls most exports: ask for musl's members by name.
        arguments.AddRange(exports.Symbols.Where(symbol => symbol.Provider == SymbolProvider.Musl)
                                          .Select(symbol => "--undefined=" + symbol.Name));
        arguments.AddRange(bootObjects.Select(_layout.Relative));
        arguments.Add(_layout.Relative(_layout.KernelObject));
        arguments.Add(_layout.Relative(_layout.KsymsObject));
        arguments.Add(_layout.Relative(_layout.BootfsObject));
        // Last: only members that the kernel or the export list references are pulled in.
        arguments.Add(_muslArchive);
        arguments.AddRange(new[] { "--as-needed", _layout.Relative(_layout.DynamicAnchor) });
        Run("ld", arguments.ToArray());
    }

    /// <summary>
    /// Copies musl's libc.a with the renames of <see cref="RepositoryLayout.MuslRenamedSymbols"/> applied to
    /// definitions and references alike: musl's vsnprintf calls its vfprintf on a string FILE, while the
    /// kernel's exported vfprintf is the C# one on the kernel's FILE. Without the file (a tree that
    /// predates it) the copy is musl's archive unchanged.
    /// </summary>
    private void PrepareMuslArchive()
    {
        if (!File.Exists(_layout.MuslRenamedSymbols))
        {
            _muslArchive = RepositoryLayout.MuslArchive;
            return;
        }
        Run("objcopy", "--redefine-syms=" + _layout.Relative(_layout.MuslRenamedSymbols),
            RepositoryLayout.MuslArchive, _layout.Relative(_layout.MuslKernelArchive));
        _muslArchive = _layout.Relative(_layout.MuslKernelArchive);
    }

    /// <summary>The archive the link uses, as the command line and the link map name it.</summary>
    private string _muslArchive = RepositoryLayout.MuslArchive;

    // The linker script must keep .ksyms, or the kernel has nothing to symbolize with.
    private void RequireEmbeddedBlob(Elf64File image, byte[] blob)
    {
        string imageName = _layout.Relative(_layout.Image);
        ElfSection section = image.FindSection(".ksyms")
            ?? throw new OsvException($"{imageName} has no .ksyms section; {_layout.Relative(_layout.LinkerScript)} must keep it (KEEP(*(.ksyms)))");
        if ((section.Flags & ElfSection.FlagAlloc) == 0 || section.Type == ElfSection.TypeNoBits)
            throw new OsvException($"{imageName}: .ksyms is not loaded with the image");
        if (!image.ReadSectionData(section).Slice(0, Math.Min(blob.Length, (int)section.Size)).SequenceEqual(blob))
            throw new OsvException($"{imageName}: .ksyms does not hold the symbol table written to {_layout.Relative(_layout.KsymsBlob)}");
    }

    private void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
            throw new OsvException($"{what} {_layout.Relative(path)} does not exist");
    }

    private void Run(string program, params string[] arguments) =>
        ExternalCommand.RunChecked(program, arguments, _layout.Root);

    private void Step(string message) => _log.WriteLine($"osv build: {message}");
}
