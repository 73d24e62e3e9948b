using System;
using System.Collections.Generic;
using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>The initial process stack, read back the way a C runtime's _start reads it.</summary>
public sealed unsafe class InitialStackTests
{
    private const ulong Top = 0x2000_0000_8000;

    private static ulong Word(byte[] memory, ulong address) => BitConverter.ToUInt64(memory, (int)(address - (Top - (ulong)memory.Length)));

    private static string Text(byte[] memory, ulong address)
    {
        int offset = (int)(address - (Top - (ulong)memory.Length));
        int end = Array.IndexOf(memory, (byte)0, offset);
        return Encoding.ASCII.GetString(memory, offset, end - offset);
    }

    [Fact]
    public void ArgcArgvEnvpAndTheAuxiliaryVectorReadBack()
    {
        var memory = new byte[8192];
        var info = new ProgramStartInfo { ProgramHeaders = 0x1000_0000_0040, ProgramHeaderCount = 11, Entry = 0x1000_0000_1234 };
        for (int i = 0; i < 16; i++)
            info.Random[i] = (byte)(0xA0 + i);

        ulong sp = InitialStack.Build(memory, Top, new[] { "/hello", "one", "two words" }, new[] { "HOME=/", "LANG=C" }, "/hello", info);

        Assert.NotEqual(0UL, sp);
        Assert.Equal(0UL, sp % 16);
        Assert.Equal(3UL, Word(memory, sp));
        Assert.Equal("/hello", Text(memory, Word(memory, sp + 8)));
        Assert.Equal("one", Text(memory, Word(memory, sp + 16)));
        Assert.Equal("two words", Text(memory, Word(memory, sp + 24)));
        Assert.Equal(0UL, Word(memory, sp + 32));
        Assert.Equal("HOME=/", Text(memory, Word(memory, sp + 40)));
        Assert.Equal("LANG=C", Text(memory, Word(memory, sp + 48)));
        Assert.Equal(0UL, Word(memory, sp + 56));
        var auxiliary = new Dictionary<ulong, ulong>();
        for (ulong slot = sp + 64; ; slot += 16)
        {
            ulong key = Word(memory, slot);
            if (key == AuxiliaryVector.Null)
                break;
            auxiliary.Add(key, Word(memory, slot + 8));
        }
        Assert.Equal(info.ProgramHeaders, auxiliary[AuxiliaryVector.ProgramHeaders]);
        Assert.Equal(56UL, auxiliary[AuxiliaryVector.ProgramHeaderSize]);
        Assert.Equal(11UL, auxiliary[AuxiliaryVector.ProgramHeaderCount]);
        Assert.Equal(4096UL, auxiliary[AuxiliaryVector.PageSize]);
        Assert.Equal(info.Entry, auxiliary[AuxiliaryVector.Entry]);
        Assert.Equal(0UL, auxiliary[AuxiliaryVector.Secure]);
        Assert.Equal("x86_64", Text(memory, auxiliary[AuxiliaryVector.Platform]));
        Assert.Equal("/hello", Text(memory, auxiliary[AuxiliaryVector.ExecutableName]));
        ulong random = auxiliary[AuxiliaryVector.Random];
        for (int i = 0; i < 16; i++)
            Assert.Equal((byte)(0xA0 + i), memory[(int)(random - (Top - (ulong)memory.Length)) + i]);
        Assert.True(random + 16 <= Top);
    }

    [Fact]
    public void ABlockThatDoesNotFitIsRefused()
    {
        var memory = new byte[64];
        var info = new ProgramStartInfo();
        Assert.Equal(0UL, InitialStack.Build(memory, Top, new[] { new string('a', 100) }, Array.Empty<string>(), "/a", info));
    }
}
