using Osv.Cli.Symbols;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class CodeLayoutCheckTests
{
    private static readonly KernelSymbol[] FirstPass =
    {
        new(0x1000, 4, "start"),
        new(0x1010, 0, "dup"),
        new(0x1020, 0, "dup"),
        new(0x1030, 8, "end"),
    };

    [Fact]
    public void IdenticalLayoutsPass()
    {
        Assert.Null(CodeLayoutCheck.FindMovedSymbol(FirstPass, (KernelSymbol[])FirstPass.Clone()));
    }

    [Fact]
    public void NamesTheFirstSymbolThatMoved()
    {
        KernelSymbol[] second = (KernelSymbol[])FirstPass.Clone();
        second[3] = second[3] with { Address = 0x1040 };

        Assert.Equal("end", CodeLayoutCheck.FindMovedSymbol(FirstPass, second));
    }

    [Fact]
    public void ADuplicateNameThatMovedIsCaught()
    {
        KernelSymbol[] second = (KernelSymbol[])FirstPass.Clone();
        second[2] = second[2] with { Address = 0x1028 };

        Assert.Equal("dup", CodeLayoutCheck.FindMovedSymbol(FirstPass, second));
    }

    [Fact]
    public void AppearingOrVanishingSymbolsAreCaught()
    {
        Assert.Equal("end", CodeLayoutCheck.FindMovedSymbol(FirstPass, FirstPass[..3]));
        KernelSymbol[] grown = [.. FirstPass, new KernelSymbol(0x2000, 0, "new")];
        Assert.Equal("new", CodeLayoutCheck.FindMovedSymbol(FirstPass, grown));
    }
}
