using System.Linq;
using Osv.Cli.Elf;
using Osv.Cli.Symbols;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class KernelSymbolSelectorTests
{
    private static ElfSymbol Symbol(string name, ulong value, ElfSymbolType type, ulong size = 0, ElfSymbolBinding binding = ElfSymbolBinding.Global) =>
        new(name, value, size, type, binding, SectionIndex: 1);

    [Fact]
    public void SortsByAddress()
    {
        var selected = KernelSymbolSelector.Select(new[]
        {
            Symbol("c", 0x300, ElfSymbolType.Function, 4),
            Symbol("a", 0x100, ElfSymbolType.Function, 4),
            Symbol("b", 0x200, ElfSymbolType.NoType),
        });

        Assert.Equal(new[] { "a", "b", "c" }, selected.Select(s => s.Name));
        Assert.Equal(new ulong[] { 0x100, 0x200, 0x300 }, selected.Select(s => s.Address));
    }

    [Fact]
    public void ASizedFunctionWinsOverOtherSymbolsAtItsAddress()
    {
        var selected = KernelSymbolSelector.Select(new[]
        {
            Symbol("label", 0x100, ElfSymbolType.NoType),
            Symbol("unsized", 0x100, ElfSymbolType.Function),
            Symbol("sized", 0x100, ElfSymbolType.Function, 16),
            Symbol("local_label", 0x100, ElfSymbolType.NoType, binding: ElfSymbolBinding.Local),
        });

        KernelSymbol only = Assert.Single(selected);
        Assert.Equal(new KernelSymbol(0x100, 16, "sized"), only);
    }

    [Fact]
    public void WithoutASizedFunctionAFunctionThenAGlobalLabelWins()
    {
        Assert.Equal("unsized", Assert.Single(KernelSymbolSelector.Select(new[]
        {
            Symbol("global_label", 0x100, ElfSymbolType.NoType),
            Symbol("unsized", 0x100, ElfSymbolType.Function),
        })).Name);
        Assert.Equal("global_label", Assert.Single(KernelSymbolSelector.Select(new[]
        {
            Symbol("local_label", 0x100, ElfSymbolType.NoType, binding: ElfSymbolBinding.Local),
            Symbol("global_label", 0x100, ElfSymbolType.NoType),
        })).Name);
    }

    [Fact]
    public void LinkedTestKernelTableMatchesNmCodeSymbols()
    {
        TestKernel kernel = TestKernel.Shared;
        var nmCode = Tools.Nm(kernel.Image)
            .Where(s => s.IsCode && s.Value != 0 && !s.Name.StartsWith('.'))
            .ToList();

        var selected = KernelSymbolSelector.Select(Elf64File.Load(kernel.Image));

        // One entry per distinct nm code address, named by one of the names nm shows there.
        Assert.Equal(nmCode.Select(s => s.Value).Distinct().OrderBy(v => v), selected.Select(s => s.Address));
        foreach (KernelSymbol symbol in selected)
            Assert.Contains(nmCode, s => s.Value == symbol.Address && s.Name == symbol.Name);
    }

    [Fact]
    public void LinkedTestKernelTableCoversLabelsFunctionsAndAliases()
    {
        var names = KernelSymbolSelector.Select(Elf64File.Load(TestKernel.Shared.Image)).Select(s => s.Name).ToList();

        Assert.Contains("pvh_entry", names);                  // nasm global label (NOTYPE)
        Assert.Contains("put_char", names);                   // nasm local label (NOTYPE)
        Assert.Contains("print_string.done", names);          // nasm dot-label, as nasm names it
        Assert.Contains("square", names);                     // static C function
        Assert.Contains("test_kernel_weak_hook", names);      // weak C function
        Assert.Contains("test_kernel_aliased_function", names);
        Assert.DoesNotContain("test_kernel_alias_label", names);   // lost to the sized function at its address
        Assert.DoesNotContain(".Ltest_kernel_dot_label", names);   // local label starting with '.'
        Assert.DoesNotContain("test_kernel_counter", names);       // data
        Assert.DoesNotContain("banner", names);                    // read-only data
        Assert.DoesNotContain("COM1", names);                      // absolute symbol
        Assert.Contains(".Ltest_kernel_dot_label", Tools.Nm(TestKernel.Shared.Image).Select(s => s.Name)); // it was there to skip
    }
}
