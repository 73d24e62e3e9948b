using System.Collections.Generic;
using Osv.Arch.X64.Interrupts;
using Xunit;

namespace Osv.Arch.X64.Tests;

public sealed class ExceptionVectorsTests
{
    // The panic contract: integration tests and users grep for these exact strings.
    [Theory]
    [InlineData(14UL, "page fault (#PF, vector 14)")]
    [InlineData(6UL, "invalid opcode (#UD, vector 6)")]
    [InlineData(13UL, "general protection fault (#GP, vector 13)")]
    [InlineData(0UL, "divide error (#DE, vector 0)")]
    public void PanicContractStrings(ulong vector, string expected)
    {
        Assert.Equal(expected, ExceptionVectors.Describe(vector));
    }

    [Fact]
    public void ConstantsAreTheArchitecturalVectors()
    {
        Assert.Equal(0, ExceptionVectors.DivideError);
        Assert.Equal(3, ExceptionVectors.Breakpoint);
        Assert.Equal(6, ExceptionVectors.InvalidOpcode);
        Assert.Equal(8, ExceptionVectors.DoubleFault);
        Assert.Equal(13, ExceptionVectors.GeneralProtection);
        Assert.Equal(14, ExceptionVectors.PageFault);
        Assert.Equal(32, ExceptionVectors.FirstExternal);
    }

    /// <summary>Mnemonics from the Intel SDM, vol. 3A, table 6-1.</summary>
    public static IEnumerable<object[]> NamedExceptions() => new[]
    {
        new object[] { 0UL, "#DE" }, new object[] { 1UL, "#DB" }, new object[] { 2UL, "NMI" },
        new object[] { 3UL, "#BP" }, new object[] { 4UL, "#OF" }, new object[] { 5UL, "#BR" },
        new object[] { 6UL, "#UD" }, new object[] { 7UL, "#NM" }, new object[] { 8UL, "#DF" },
        new object[] { 10UL, "#TS" }, new object[] { 11UL, "#NP" }, new object[] { 12UL, "#SS" },
        new object[] { 13UL, "#GP" }, new object[] { 14UL, "#PF" }, new object[] { 16UL, "#MF" },
        new object[] { 17UL, "#AC" }, new object[] { 18UL, "#MC" }, new object[] { 19UL, "#XM" },
        new object[] { 20UL, "#VE" }, new object[] { 21UL, "#CP" }, new object[] { 28UL, "#HV" }, new object[] { 29UL, "#VC" }, new object[] { 30UL, "#SX" },
    };

    [Theory]
    [MemberData(nameof(NamedExceptions))]
    public void NamedExceptionsCarryMnemonicAndVector(ulong vector, string mnemonic)
    {
        string text = ExceptionVectors.Describe(vector);
        Assert.EndsWith($"({mnemonic}, vector {vector})", text);
        Assert.True(text.Length > mnemonic.Length + 12, text); // a human-readable name precedes it
    }

    [Fact]
    public void NamedExceptionsAreDistinct()
    {
        var seen = new HashSet<string>();
        foreach (object[] row in NamedExceptions())
            Assert.True(seen.Add(ExceptionVectors.Describe((ulong)row[0])));
    }

    [Theory]
    [InlineData(9UL)]
    [InlineData(15UL)]
    [InlineData(22UL)]
    [InlineData(31UL)]
    public void ReservedVectorsBelow32AreReservedExceptions(ulong vector)
    {
        Assert.Equal("reserved exception", ExceptionVectors.Describe(vector));
    }

    [Theory]
    [InlineData(32UL)]
    [InlineData(0x40UL)]
    [InlineData(0xFFUL)]
    [InlineData(256UL)]
    [InlineData(ulong.MaxValue)]
    public void VectorsFrom32AreUnexpectedInterrupts(ulong vector)
    {
        Assert.Equal("unexpected interrupt", ExceptionVectors.Describe(vector));
        Assert.False(ExceptionVectors.IsException(vector));
    }

    [Fact]
    public void IsExceptionCoversExactlyTheFirst32Vectors()
    {
        for (ulong vector = 0; vector < 300; vector++)
            Assert.Equal(vector < 32, ExceptionVectors.IsException(vector));
    }
}
