using System;
using System.IO;
using System.Linq;
using Osv.Cli.Elf;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class Elf64FileTests
{
    private const string CSource =
        "int global_counter = 3;\n" +
        "static int hidden_state;\n" +
        "static int helper(int x) { return x * 2 + hidden_state; }\n" +
        "int exported_function(int x) { return helper(x) + global_counter; }\n" +
        "__attribute__((weak)) void weak_function(void) { }\n" +
        "const char greeting[] = \"hello\";\n";

    [Fact]
    public void DefinedSymbolsOfAGccObjectMatchNm()
    {
        using var temp = new TempDirectory();
        string source = temp.Combine("sample.c");
        string objectFile = temp.Combine("sample.o");
        File.WriteAllText(source, CSource);
        Tools.Run(temp.Path, "gcc", "-O0", "-c", "-o", objectFile, source);

        Elf64File elf = Elf64File.Load(objectFile);
        var ours = elf.Symbols
            .Where(s => s.SectionIndex != ElfSymbol.UndefinedSection)
            .Where(s => s.Type is not (ElfSymbolType.Section or ElfSymbolType.File))
            .Select(s => (s.Name, s.Value))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var nms = Tools.Nm(objectFile)
            .Select(s => (s.Name, s.Value))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(nms, ours);
        Assert.Contains(ours, s => s.Name == "helper");
    }

    [Fact]
    public void ExecutableSectionsAreExactlyWhereNmSeesCode()
    {
        using var temp = new TempDirectory();
        string source = temp.Combine("sample.c");
        string objectFile = temp.Combine("sample.o");
        File.WriteAllText(source, CSource);
        Tools.Run(temp.Path, "gcc", "-O0", "-c", "-o", objectFile, source);

        Elf64File elf = Elf64File.Load(objectFile);
        var inCode = elf.Symbols
            .Where(s => s.IsInSection && elf.Sections[(int)s.SectionIndex].IsExecutable && s.Type != ElfSymbolType.Section)
            .Select(s => s.Name)
            .OrderBy(n => n, StringComparer.Ordinal);
        var nmCode = Tools.Nm(objectFile).Where(s => s.IsCode).Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal);

        Assert.Equal(new[] { "exported_function", "helper", "weak_function" }, nmCode);
        Assert.Equal(nmCode, inCode);
    }

    [Fact]
    public void ReadsSymbolKindsSizesAndSections()
    {
        using var temp = new TempDirectory();
        string source = temp.Combine("sample.c");
        string objectFile = temp.Combine("sample.o");
        File.WriteAllText(source, CSource);
        Tools.Run(temp.Path, "gcc", "-O0", "-c", "-o", objectFile, source);

        Elf64File elf = Elf64File.Load(objectFile);
        Assert.Equal(62, elf.Machine);
        ElfSymbol exported = Assert.Single(elf.Symbols, s => s.Name == "exported_function");
        Assert.Equal(ElfSymbolType.Function, exported.Type);
        Assert.Equal(ElfSymbolBinding.Global, exported.Binding);
        Assert.True(exported.Size > 0);
        Assert.Equal(".text", elf.Sections[(int)exported.SectionIndex].Name);
        Assert.Equal(ElfSymbolBinding.Local, Assert.Single(elf.Symbols, s => s.Name == "helper").Binding);
        Assert.Equal(ElfSymbolBinding.Weak, Assert.Single(elf.Symbols, s => s.Name == "weak_function").Binding);
        Assert.Equal(ElfSymbolType.Object, Assert.Single(elf.Symbols, s => s.Name == "global_counter").Type);
        Assert.Equal("hello\0", System.Text.Encoding.ASCII.GetString(elf.ReadSectionData(elf.FindSection(".rodata")!)));
    }

    [Fact]
    public void RejectsAFileThatIsNotElfAndNamesIt()
    {
        var error = Assert.Throws<InvalidElfException>(() => Elf64File.Parse(new byte[100], "some/file.bin"));
        Assert.Equal("some/file.bin: not an ELF file", error.Message);
    }

    [Fact]
    public void Rejects32BitElf()
    {
        byte[] header = new byte[64];
        new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1 }.CopyTo(header, 0);
        var error = Assert.Throws<InvalidElfException>(() => Elf64File.Parse(header, "x.elf"));
        Assert.Contains("not a 64-bit ELF file", error.Message);
    }

    [Fact]
    public void RejectsATruncatedFile()
    {
        byte[] image = File.ReadAllBytes(TestKernel.Shared.Image);
        byte[] truncated = image.AsSpan(0, image.Length / 2).ToArray();
        var error = Assert.Throws<InvalidElfException>(() => Elf64File.Parse(truncated, "half.elf"));
        Assert.StartsWith("half.elf: ", error.Message);
        Assert.Contains("truncated", error.Message);
    }
}
