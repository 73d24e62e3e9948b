using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Osv.Arch.X64.Interrupts;
using Xunit;

namespace Osv.Arch.X64.Tests;

/// <summary>
/// TrapFrame overlays what Boot/traps.asm pushes. The offsets are checked twice: against the
/// expected table, and against the push order read out of traps.asm itself, so editing either
/// side alone fails here.
/// </summary>
public sealed unsafe class TrapFrameTests
{
    private static readonly string[] ExpectedOrder =
    {
        "R15", "R14", "R13", "R12", "R11", "R10", "R9", "R8",
        "Rbp", "Rdi", "Rsi", "Rdx", "Rcx", "Rbx", "Rax",
        "Vector", "ErrorCode",
        "Rip", "Cs", "Rflags", "Rsp", "Ss",
    };

    private static int OffsetOf(string field) => (int)Marshal.OffsetOf<TrapFrame>(field);

    [Fact]
    public void SizeIs22QuadWords()
    {
        Assert.Equal(22 * 8, sizeof(TrapFrame));
        Assert.Equal(22 * 8, Unsafe.SizeOf<TrapFrame>());
        Assert.Equal(22 * 8, Marshal.SizeOf<TrapFrame>());
    }

    [Fact]
    public void FieldOffsetsFollowThePushOrder()
    {
        for (int i = 0; i < ExpectedOrder.Length; i++)
            Assert.True(i * 8 == OffsetOf(ExpectedOrder[i]), $"{ExpectedOrder[i]} at {OffsetOf(ExpectedOrder[i])}, expected {i * 8}");
        Assert.Equal(0, OffsetOf("R15"));
        Assert.Equal(14 * 8, OffsetOf("Rax"));
        Assert.Equal(15 * 8, OffsetOf("Vector"));
        Assert.Equal(16 * 8, OffsetOf("ErrorCode"));
        Assert.Equal(17 * 8, OffsetOf("Rip"));
        Assert.Equal(21 * 8, OffsetOf("Ss"));
    }

    [Fact]
    public void FieldsReadTheRightQuadWordOfARawFrame()
    {
        // What the CPU and the stubs leave in memory: quad word i holds 0x1000 + i.
        ulong* raw = stackalloc ulong[22];
        for (int i = 0; i < 22; i++)
            raw[i] = 0x1000UL + (ulong)i;
        TrapFrame* frame = (TrapFrame*)raw;
        Assert.Equal(0x1000UL, frame->R15);
        Assert.Equal(0x1000UL + 8, frame->Rbp);
        Assert.Equal(0x1000UL + 14, frame->Rax);
        Assert.Equal(0x1000UL + 15, frame->Vector);
        Assert.Equal(0x1000UL + 16, frame->ErrorCode);
        Assert.Equal(0x1000UL + 17, frame->Rip);
        Assert.Equal(0x1000UL + 18, frame->Cs);
        Assert.Equal(0x1000UL + 19, frame->Rflags);
        Assert.Equal(0x1000UL + 20, frame->Rsp);
        Assert.Equal(0x1000UL + 21, frame->Ss);
    }

    private static string TrapsAsm() => BootFile("traps.asm");

    /// <summary>trap_frame.inc: the macro traps.asm and trap_resume.asm return through.</summary>
    private static string TrapFrameInclude() => BootFile("trap_frame.inc");

    private static string BootFile(string name)
    {
        for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "src", "Osv.Arch.X64", "Boot", name);
            if (File.Exists(candidate))
                return File.ReadAllText(candidate);
        }
        throw new FileNotFoundException("src/Osv.Arch.X64/Boot/" + name + " not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The code lines after <paramref name="startLine"/> up to the first one starting with <paramref name="endsBefore"/>.</summary>
    private static List<string> Instructions(string asm, string startLine, string endsBefore)
    {
        string[] lines = asm.Split('\n').Select(line => Regex.Replace(line.Split(';')[0].Trim(), @"\s+", " ")).ToArray();
        int start = Array.IndexOf(lines, startLine);
        Assert.True(start >= 0, $"'{startLine}' not found");
        var result = new List<string>();
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith(endsBefore, StringComparison.Ordinal); i++)
        {
            if (lines[i].Length > 0)
                result.Add(lines[i]);
        }
        return result;
    }

    [Fact]
    public void RegisterOrderMatchesTrapsAsm()
    {
        string asm = TrapsAsm();
        // Pushes in trap_common, up to the instruction that takes the frame pointer.
        List<string> pushes = Instructions(asm, "trap_common:", "mov rbx, rsp")
            .Where(line => line.StartsWith("push ", StringComparison.Ordinal))
            .Select(line => line.Substring(5))
            .ToList();
        Assert.Equal(15, pushes.Count);
        // The last push is at the lowest address, i.e. offset 0 of the frame.
        pushes.Reverse();
        for (int i = 0; i < pushes.Count; i++)
            Assert.True(OffsetOf(Capitalize(pushes[i])) == i * 8, $"{pushes[i]} pushed as slot {i}, TrapFrame has it at {OffsetOf(Capitalize(pushes[i]))}");

        // The restore sequence (trap_common ends with the trap_frame.inc macro) pops the same registers from the lowest slot up.
        Assert.Contains("pop_trap_frame_and_return", Instructions(asm, "trap_common:", "section .bss"));
        List<string> pops = Instructions(TrapFrameInclude(), "%macro pop_trap_frame_and_return 0", "iretq")
            .Where(line => line.StartsWith("pop ", StringComparison.Ordinal))
            .Select(line => line.Substring(4))
            .ToList();
        Assert.Equal(pushes, pops);
    }

    [Fact]
    public void StubsPushErrorCodeBelowTheCpuFrameAndVectorBelowIt()
    {
        string asm = TrapsAsm();
        List<string> stub = Instructions(asm, "%macro trap_stub 1", "%endmacro");
        int pushZero = stub.IndexOf("push 0");
        int pushVector = stub.FindIndex(line => line.StartsWith("push strict dword", StringComparison.Ordinal));
        Assert.True(pushZero >= 0 && pushVector > pushZero, string.Join(" | ", stub));
        // Pushed after the CPU frame and before trap_common's registers: error code above the vector.
        Assert.Equal(OffsetOf("Rip") - 8, OffsetOf("ErrorCode"));
        Assert.Equal(OffsetOf("ErrorCode") - 8, OffsetOf("Vector"));
        Assert.Equal(OffsetOf("Rax") + 8, OffsetOf("Vector"));
        // and the epilogue drops exactly those two quad words before iretq.
        Assert.Contains("add rsp, 16", Instructions(TrapFrameInclude(), "%macro pop_trap_frame_and_return 0", "iretq"));
    }

    [Fact]
    public void StubsKnowWhichVectorsCarryAnErrorCode()
    {
        // Vectors for which the CPU pushes an error code (Intel SDM vol. 3A, table 6-1; AMD #VC, #SX).
        int[] expected = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };
        string asm = TrapsAsm();
        Match condition = Regex.Match(asm, @"%if (%1 == [^\n]*\|\|[^\n]*)\n");
        Assert.True(condition.Success, "error-code condition not found in trap_stub");
        var withErrorCode = new List<int>();
        for (int vector = 0; vector < 256; vector++)
        {
            bool any = false;
            foreach (string term in condition.Groups[1].Value.Split("||"))
            {
                Match equal = Regex.Match(term, @"^\s*%1 == (\d+)\s*$");
                Match range = Regex.Match(term, @"^\s*\(%1 >= (\d+) && %1 <= (\d+)\)\s*$");
                Assert.True(equal.Success || range.Success, $"unexpected term '{term}'");
                if (equal.Success && vector == int.Parse(equal.Groups[1].Value))
                    any = true;
                if (range.Success && vector >= int.Parse(range.Groups[1].Value) && vector <= int.Parse(range.Groups[2].Value))
                    any = true;
            }
            if (any)
                withErrorCode.Add(vector);
        }
        Assert.Equal(expected, withErrorCode);
    }

    private static string Capitalize(string register) => char.ToUpperInvariant(register[0]) + register.Substring(1);
}
