using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

public sealed class SymbolHashTests
{
    [Theory]
    [InlineData("", 0x00001505u)]
    [InlineData("printf", 0x156b2bb8u)]
    [InlineData("exit", 0x7c967e3fu)]
    [InlineData("syscall", 0xbac212a0u)]
    [InlineData("flapenguin.me", 0x8ae9f18eu)]
    public void GnuHashMatchesKnownValues(string name, uint expected) =>
        Assert.Equal(expected, SymbolHash.Gnu(Encoding.ASCII.GetBytes(name)));

    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("printf", 0x077905a6u)]
    [InlineData("exit", 0x0006cf04u)]
    [InlineData("syscall", 0x0b09985cu)]
    [InlineData("flapenguin.me", 0x03987915u)]
    public void SysVHashMatchesKnownValues(string name, uint expected) =>
        Assert.Equal(expected, SymbolHash.SysV(Encoding.ASCII.GetBytes(name)));

    [Fact]
    public void SysVHashFoldsHighNibbleOfLongNames()
    {
        // Eight or more characters push bits into the top nibble, which the function folds back and clears.
        uint hash = SymbolHash.SysV(Encoding.ASCII.GetBytes("__libc_start_main_with_a_long_tail"));
        Assert.Equal(0u, hash & 0xF0000000);
        Assert.NotEqual(SymbolHash.SysV(Encoding.ASCII.GetBytes("abcdefghij")), SymbolHash.SysV(Encoding.ASCII.GetBytes("abcdefghik")));
    }
}
