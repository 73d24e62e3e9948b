using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Osv.Cli.Build;
using Osv.Cli.Elf;
using Osv.Cli.Infrastructure;
using Osv.Cli.Symbols;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

/// <summary>The real assemble and two-pass link steps of `osv build`, on the test kernel.</summary>
public sealed class TwoPassLinkTests
{
    [Fact]
    public void TheImageCarriesASymbolTableThatMatchesNm()
    {
        TestKernel kernel = TestKernel.Shared;
        Elf64File image = Elf64File.Load(kernel.Image);
        ElfSection ksyms = image.FindSection(".ksyms")!;
        byte[] blob = image.ReadSectionData(ksyms).ToArray();

        // Decoded here by hand, independently of KsymsBlob.Read.
        Assert.Equal("KSYM", Encoding.ASCII.GetString(blob, 0, 4));
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4));
        int strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(blob.AsSpan(8));
        var entries = Enumerable.Range(0, count).Select(i =>
        {
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(blob.AsSpan(16 + i * 16));
            int name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(16 + i * 16 + 12));
            return (Address: address, Name: Encoding.UTF8.GetString(blob, name, Array.IndexOf(blob, (byte)0, name) - name));
        }).ToList();

        var nm = Tools.Nm(kernel.Image);
        Assert.True(count >= 10, $"only {count} symbols");
        Assert.Equal(entries.OrderBy(e => e.Address).Select(e => e.Address), entries.Select(e => e.Address));
        foreach (var entry in entries)
            Assert.Contains(nm, s => s.IsCode && s.Value == entry.Address && s.Name == entry.Name);
        Assert.Contains(entries, e => e.Name == "pvh_entry" && e.Address == nm.Single(s => s.Name == "pvh_entry").Value);
    }

    [Fact]
    public void TheSymbolTableIsLoadedWithTheImage()
    {
        Elf64File image = Elf64File.Load(TestKernel.Shared.Image);
        ElfSection ksyms = image.FindSection(".ksyms")!;

        Assert.NotEqual(0ul, ksyms.Flags & ElfSection.FlagAlloc);
        Assert.NotEqual(0ul, ksyms.Address);
        Assert.Equal(File.ReadAllBytes(TestKernel.Shared.Layout.KsymsBlob), image.ReadSectionData(ksyms).ToArray());
    }

    [Fact]
    public void EachStepPrintsOneLine()
    {
        string[] lines = TestKernel.Shared.BuildLog.TrimEnd().Split('\n');

        Assert.Equal(4, lines.Length);
        Assert.StartsWith("osv build: assembling 1 boot file", lines[0]);
        Assert.StartsWith("osv build: linking (pass 1", lines[1]);
        Assert.Matches(@"^osv build: linking \(pass 2, \d+ kernel symbols\)$", lines[2]);
        Assert.Matches(@"^osv build: 0 musl members linked, \d+ dynamic symbols$", lines[3]);
        Assert.True(File.Exists(TestKernel.Shared.Layout.LinkMap));
        Assert.Equal(new FileInfo(TestKernel.Shared.Image).Length, TestKernel.Shared.Link.ImageBytes);
    }

    [Fact]
    public void ALinkerScriptThatPutsTheTableBeforeCodeFailsBecauseCodeMoved()
    {
        using var temp = new TempDirectory();
        string script = ModifiedLinkerScript(temp, text => text
            .Replace("    .ksyms  : { KEEP(*(.ksyms)) } :ksyms\n", "")
            .Replace("    .text   :", "    .ksyms  : { KEEP(*(.ksyms)) } :text\n    .text   :"));

        var error = Assert.Throws<OsvException>(() => TestKernel.Create(script));

        Assert.StartsWith("symbol table moved code: ", error.Message);
    }

    [Fact]
    public void ALinkerScriptThatDropsTheTableFailsClearly()
    {
        using var temp = new TempDirectory();
        string script = ModifiedLinkerScript(temp, text => text
            .Replace("    .ksyms  : { KEEP(*(.ksyms)) } :ksyms\n", "")
            .Replace("/DISCARD/ : {", "/DISCARD/ : { *(.ksyms)"));

        var error = Assert.Throws<OsvException>(() => TestKernel.Create(script));

        Assert.Contains("has no .ksyms section", error.Message);
        Assert.Contains("linker.x64.ld", error.Message);
    }

    [Fact]
    public void AFailingAssemblerStepReportsTheCommandAndItsOutput()
    {
        RepositoryLayout layout = TestKernel.CreateRepository(TestKernel.LinkerScriptFile);
        File.WriteAllText(Path.Combine(layout.BootSourceDirectory, "broken.asm"), "this is not an instruction\n");

        var error = Assert.Throws<OsvException>(() => new KernelBuilder(layout, TextWriter.Null).AssembleBoot());

        Assert.Contains("nasm", error.Message);
        Assert.Contains("broken.asm", error.Message);
        Assert.Contains("broken.asm:1:", error.Details);
    }

    [Fact]
    public void AMissingKernelProjectIsNamed()
    {
        RepositoryLayout layout = TestKernel.CreateRepository(TestKernel.LinkerScriptFile);

        var error = Assert.Throws<OsvException>(() => new KernelBuilder(layout, TextWriter.Null).CompileKernel());

        Assert.Equal("the kernel project src/Osv.Kernel/Osv.Kernel.csproj does not exist", error.Message);
    }

    private static string ModifiedLinkerScript(TempDirectory temp, Func<string, string> change)
    {
        string original = File.ReadAllText(Path.Combine(TestKernel.SourceDirectory, TestKernel.LinkerScriptFile));
        string changed = change(original);
        Assert.NotEqual(original, changed);
        string path = temp.Combine("linker.ld");
        File.WriteAllText(path, changed);
        return path;
    }
}
