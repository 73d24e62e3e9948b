using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Osv.Core.Diagnostics;
using Xunit;

namespace Osv.Core.Tests.Diagnostics;

/// <summary>
/// One row of a CFI table, as far as an x86-64 unwind step cares: CFA = register + offset, the caller's
/// rbp saved at CFA + RbpOffset (null: rbp is not saved, the caller has the same rbp), and the return
/// address at CFA + ReturnAddressOffset. Registers are DWARF numbers (6 rbp, 7 rsp).
/// </summary>
public readonly record struct CfaRule(int Register, long Offset, long? RbpOffset, long ReturnAddressOffset = -8)
{
    public const int Rbp = 6;
    public const int Rsp = 7;

    public static CfaRule OnRsp(long offset, long? rbp = null, long ra = -8) => new(Rsp, offset, rbp, ra);
    public static CfaRule OnRbp(long offset, long? rbp = null, long ra = -8) => new(Rbp, offset, rbp, ra);

    public override string ToString()
        => $"CFA={(Register == Rsp ? "rsp" : Register == Rbp ? "rbp" : "r" + Register)}+{Offset} rbp={(RbpOffset is long o ? "c" + o : "u")} ra=c{ReturnAddressOffset}";
}

/// <summary>
/// A synthetic stack in native memory. Every quad word holds <see cref="Pattern"/> of its own offset, so
/// a value the unwinder returns tells which slot it read. Only [AllowedStart, AllowedEnd) is readable
/// through <see cref="IsReadable"/>; the rest of the buffer exists, so an unwinder that ignored the
/// callback would read a recognisable pattern from outside the allowed range instead of faulting.
/// </summary>
public sealed unsafe class StackImage : IDisposable
{
    public const int Size = 64 * 1024;
    public const ulong PatternTag = 0x5EED_0000_0000_0000UL;

    [ThreadStatic] private static ulong s_allowedStart;
    [ThreadStatic] private static ulong s_allowedEnd;
    [ThreadStatic] private static int s_readChecks;
    [ThreadStatic] private static List<ulong>? s_approved;

    public StackImage()
    {
        Base = (ulong)NativeMemory.AlignedAlloc(Size, 4096);
        for (ulong offset = 0; offset < Size; offset += 8)
            *(ulong*)(Base + offset) = PatternTag | offset;
        Allow(Base, End);
    }

    public ulong Base { get; }
    public ulong End => Base + Size;

    public static ulong Pattern(ulong offset) => PatternTag | offset;

    /// <summary>The value the stack holds at <paramref name="address"/> before any <see cref="Write"/>.</summary>
    public ulong PatternAt(ulong address)
    {
        Assert.True(address >= Base && address + 8 <= End && address % 8 == 0, $"{address:x} is not a slot of the stack image");
        return Pattern(address - Base);
    }

    public void Write(ulong address, ulong value)
    {
        Assert.True(address >= Base && address + 8 <= End, $"{address:x} is outside the stack image");
        *(ulong*)address = value;
    }

    public void Allow(ulong start, ulong end)
    {
        s_allowedStart = start;
        s_allowedEnd = end;
    }

    public static int ReadChecks { get => s_readChecks; set => s_readChecks = value; }

    /// <summary>Forgets the reads approved so far (see <see cref="WasReadThroughTheCheck"/>).</summary>
    public static void ClearApprovals() => (s_approved ??= new List<ulong>()).Clear();

    /// <summary>
    /// Whether <paramref name="value"/> is what some 8-byte read approved since <see cref="ClearApprovals"/>
    /// finds in memory: a value taken from anywhere else was read without asking.
    /// </summary>
    public static bool WasReadThroughTheCheck(ulong value)
    {
        foreach (ulong address in s_approved ?? new List<ulong>())
        {
            if (*(ulong*)address == value)
                return true;
        }
        return false;
    }

    public static delegate*<ulong, ulong, bool> IsReadable => &CheckReadable;

    private static bool CheckReadable(ulong address, ulong length)
    {
        s_readChecks++;
        bool readable = address >= s_allowedStart && address <= s_allowedEnd && length <= s_allowedEnd - address;
        if (readable && length == 8)
            (s_approved ??= new List<ulong>()).Add(address);
        return readable;
    }

    public void Dispose() => NativeMemory.AlignedFree((void*)Base);
}

public static unsafe class UnwindAssert
{
    /// <summary>
    /// Runs one TryStep at <paramref name="pc"/> (a table address: the caller adds the relocation
    /// <paramref name="delta"/>) on a fresh frame of <paramref name="stack"/> and checks it against <paramref name="rule"/>.
    /// Both forms are run: the faulting instruction itself, and a return address one past it.
    /// </summary>
    public static void StepFollows(in CallFrameUnwinder unwinder, StackImage stack, ulong pc, ulong delta, CfaRule rule, string context)
    {
        StepFollows(unwinder, stack, pc + delta, isCallSite: false, rule, context);
        StepFollows(unwinder, stack, pc + 1 + delta, isCallSite: true, rule, context + " (as return address)");
    }

    public static void StepFollows(in CallFrameUnwinder unwinder, StackImage stack, ulong rip, bool isCallSite, CfaRule rule, string context)
    {
        Assert.True(rule.Register == CfaRule.Rsp || rule.Register == CfaRule.Rbp, context + ": test only knows rsp/rbp rules");
        // rsp and rbp point to different parts of the image, so using the wrong one shows.
        ulong rsp = stack.Base + 0x4000;
        ulong rbp = rule.Register == CfaRule.Rbp ? stack.Base + 0x6000 : 0x0B0B_0000_DEAD_0000UL;
        ulong cfa = (rule.Register == CfaRule.Rsp ? rsp : rbp) + (ulong)rule.Offset;
        var registers = new UnwindRegisters { Rip = rip, Rsp = rsp, Rbp = rbp };
        bool stepped = unwinder.TryStep(ref registers, isCallSite);
        Assert.True(stepped, $"{context}: TryStep failed at {rip:x}, expected {rule}");
        Assert.True(stack.PatternAt((ulong)((long)cfa + rule.ReturnAddressOffset)) == registers.Rip,
            $"{context}: rip {registers.Rip:x}, expected the slot at CFA{rule.ReturnAddressOffset} ({rule})");
        Assert.True(cfa == registers.Rsp, $"{context}: rsp {registers.Rsp:x}, expected CFA {cfa:x} ({rule})");
        ulong expectedRbp = rule.RbpOffset is long saved ? stack.PatternAt((ulong)((long)cfa + saved)) : rbp;
        Assert.True(expectedRbp == registers.Rbp, $"{context}: rbp {registers.Rbp:x}, expected {expectedRbp:x} ({rule})");
    }
}

/// <summary>DWARF call-frame instructions (DWARF 5, section 6.4.2), encoded by hand.</summary>
public static class Op
{
    public static byte[] Uleb(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return bytes.ToArray();
    }

    public static byte[] Sleb(long value)
    {
        var bytes = new List<byte>();
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            bytes.Add(done ? b : (byte)(b | 0x80));
            if (done)
                return bytes.ToArray();
        }
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (byte[] part in parts)
            all.AddRange(part);
        return all.ToArray();
    }

    private static byte[] B(byte opcode, params byte[][] operands) => Concat(new[] { opcode }, Concat(operands));

    public static byte[] Nop => new byte[] { 0x00 };
    public static byte[] AdvanceLoc(int delta)
    {
        Assert.InRange(delta, 0, 63);
        return new[] { (byte)(0x40 | delta) };
    }
    public static byte[] AdvanceLoc1(byte delta) => new byte[] { 0x02, delta };
    public static byte[] AdvanceLoc2(ushort delta) => new byte[] { 0x03, (byte)delta, (byte)(delta >> 8) };
    public static byte[] AdvanceLoc4(uint delta) => B(0x04, BitConverter.GetBytes(delta));
    /// <summary>DW_CFA_offset: register saved at CFA + factored * data_alignment.</summary>
    public static byte[] Offset(int register, ulong factored) => B((byte)(0x80 | register), Uleb(factored));
    public static byte[] Restore(int register) => new[] { (byte)(0xC0 | register) };
    public static byte[] OffsetExtended(int register, ulong factored) => B(0x05, Uleb((ulong)register), Uleb(factored));
    public static byte[] RestoreExtended(int register) => B(0x06, Uleb((ulong)register));
    public static byte[] Undefined(int register) => B(0x07, Uleb((ulong)register));
    public static byte[] SameValue(int register) => B(0x08, Uleb((ulong)register));
    public static byte[] Register(int register, int from) => B(0x09, Uleb((ulong)register), Uleb((ulong)from));
    public static byte[] RememberState => new byte[] { 0x0A };
    public static byte[] RestoreState => new byte[] { 0x0B };
    public static byte[] DefCfa(int register, ulong offset) => B(0x0C, Uleb((ulong)register), Uleb(offset));
    public static byte[] DefCfaRegister(int register) => B(0x0D, Uleb((ulong)register));
    public static byte[] DefCfaOffset(ulong offset) => B(0x0E, Uleb(offset));
    public static byte[] DefCfaExpression(params byte[] expression) => B(0x0F, Uleb((ulong)expression.Length), expression);
    public static byte[] Expression(int register, params byte[] expression) => B(0x10, Uleb((ulong)register), Uleb((ulong)expression.Length), expression);
    public static byte[] OffsetExtendedSf(int register, long factored) => B(0x11, Uleb((ulong)register), Sleb(factored));
    public static byte[] DefCfaSf(int register, long factored) => B(0x12, Uleb((ulong)register), Sleb(factored));
    public static byte[] DefCfaOffsetSf(long factored) => B(0x13, Sleb(factored));
    public static byte[] GnuArgsSize(ulong size) => B(0x2E, Uleb(size));

    /// <summary>What every x86-64 CIE starts with: CFA = rsp + 8, return address at CFA - 8.</summary>
    public static byte[] X64Initial => Concat(DefCfa(CfaRule.Rsp, 8), Offset(16, 1));
}

/// <summary>
/// Lays out an .eh_frame section by hand. Pointer encodings follow the LSB DW_EH_PE values. An FDE under
/// a pc-relative CIE takes its pc as an offset from the code base, <see cref="CodeDistance"/> bytes above
/// wherever the section ends up (so that even 2-byte pc-relative fields fit); under an absolute CIE the
/// pc is taken as is.
/// </summary>
public sealed class EhFrameBuilder
{
    public const byte AbsPtr = 0x00, Udata2 = 0x02, Udata4 = 0x03, Udata8 = 0x04, Sdata2 = 0x0A, Sdata4 = 0x0B, Sdata8 = 0x0C, PcRel = 0x10;
    public const ulong CodeDistance = 0x1000;

    private readonly List<byte> _bytes = new();
    private readonly List<(int Position, ulong CodeOffset, int Size)> _pcRelative = new();
    private readonly Dictionary<int, (byte Encoding, bool Augmented)> _cies = new();

    public int Length => _bytes.Count;

    private static int EncodedSize(byte encoding) => (encoding & 0x0F) switch
    {
        0x00 or 0x04 or 0x0C => 8,
        0x03 or 0x0B => 4,
        0x02 or 0x0A => 2,
        _ => throw new ArgumentException($"encoding {encoding:x2} not supported by the builder"),
    };

    private void Encoded(List<byte> record, int recordPosition, byte encoding, ulong value, bool allowRelative)
    {
        int size = EncodedSize(encoding);
        if (allowRelative && (encoding & 0x70) == PcRel)
        {
            _pcRelative.Add((recordPosition + record.Count, value, size));
            value = 0;
        }
        for (int i = 0; i < size; i++)
            record.Add((byte)(value >> (8 * i)));
    }

    private int Append(List<byte> record, bool pad = true)
    {
        int position = _bytes.Count;
        while (pad && record.Count % 8 != 0)
            record.Add(0x00); // DW_CFA_nop
        int length = record.Count - 4;
        record[0] = (byte)length;
        record[1] = (byte)(length >> 8);
        record[2] = (byte)(length >> 16);
        record[3] = (byte)(length >> 24);
        _bytes.AddRange(record);
        return position;
    }

    /// <summary>Adds a CIE; returns its offset. <paramref name="augmentationData"/> is the raw 'z' data (default: the R byte).</summary>
    public int Cie(byte[] instructions, string augmentation = "zR", byte[]? augmentationData = null, byte fdeEncoding = PcRel | Sdata4,
        byte version = 1, ulong codeAlignment = 1, long dataAlignment = -8, ulong returnColumn = 16, byte[]? returnColumnBytes = null)
    {
        int position = _bytes.Count;
        var record = new List<byte> { 0, 0, 0, 0, 0, 0, 0, 0, version };
        foreach (char letter in augmentation)
            record.Add((byte)letter);
        record.Add(0);
        record.AddRange(Op.Uleb(codeAlignment));
        record.AddRange(Op.Sleb(dataAlignment));
        if (returnColumnBytes != null)
            record.AddRange(returnColumnBytes);
        else if (version == 1)
            record.Add((byte)returnColumn);
        else
            record.AddRange(Op.Uleb(returnColumn));
        bool augmented = augmentation.StartsWith('z');
        if (augmented)
        {
            augmentationData ??= new[] { fdeEncoding };
            record.AddRange(Op.Uleb((ulong)augmentationData.Length));
            record.AddRange(augmentationData);
        }
        else
        {
            fdeEncoding = AbsPtr;
        }
        record.AddRange(instructions);
        _cies[position] = (fdeEncoding, augmented);
        return Append(record);
    }

    /// <summary>
    /// Adds an FDE for [<paramref name="pc"/>, +<paramref name="pcRange"/>) under the CIE at <paramref name="cie"/>;
    /// without <paramref name="pad"/> the record ends right after the instructions.
    /// </summary>
    public int Fde(int cie, ulong pc, ulong pcRange, byte[] instructions, byte[]? augmentationData = null, bool pad = true)
    {
        (byte encoding, bool augmented) = _cies[cie];
        int position = _bytes.Count;
        var record = new List<byte> { 0, 0, 0, 0 };
        record.AddRange(BitConverter.GetBytes((uint)(position + 4 - cie)));
        Encoded(record, position, encoding, pc, allowRelative: true);
        Encoded(record, position, (byte)(encoding & 0x0F), pcRange, allowRelative: false);
        if (augmented)
        {
            augmentationData ??= Array.Empty<byte>();
            record.AddRange(Op.Uleb((ulong)augmentationData.Length));
            record.AddRange(augmentationData);
        }
        record.AddRange(instructions);
        return Append(record, pad);
    }

    /// <summary>Appends bytes as they are (terminators, corrupt records).</summary>
    public void Raw(params byte[] bytes) => _bytes.AddRange(bytes);

    /// <summary>Overwrites bytes already laid out (corrupting a record).</summary>
    public void Patch(int position, params byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
            _bytes[position + i] = bytes[i];
    }

    /// <summary>The section bytes for a copy placed at <paramref name="sectionAddress"/>.</summary>
    public byte[] Build(ulong sectionAddress)
    {
        byte[] bytes = _bytes.ToArray();
        foreach ((int position, ulong codeOffset, int size) in _pcRelative)
        {
            long relative = (long)(sectionAddress + CodeDistance + codeOffset - (sectionAddress + (ulong)position));
            long limit = 1L << (size * 8 - 1);
            Assert.True(size == 8 || (relative >= -limit && relative < limit), $"pc-relative value {relative:x} does not fit {size} bytes");
            for (int i = 0; i < size; i++)
                bytes[position + i] = (byte)(relative >> (8 * i));
        }
        return bytes;
    }

    /// <summary>Places the section so that it ends right before an inaccessible page.</summary>
    public unsafe PlacedEhFrame Place() => new PlacedEhFrame(this);
}

public sealed unsafe class PlacedEhFrame : IDisposable
{
    public PlacedEhFrame(EhFrameBuilder builder)
    {
        Memory = GuardedMemory.Allocate(builder.Length);
        builder.Build((ulong)Memory.Data).CopyTo(new Span<byte>(Memory.Data, Memory.Length));
        Unwinder = new CallFrameUnwinder(Memory.Data, (nuint)Memory.Length, StackImage.IsReadable);
    }

    public GuardedMemory Memory { get; }
    public CallFrameUnwinder Unwinder { get; }

    /// <summary>Where code offset <paramref name="offset"/> of a pc-relative FDE lives.</summary>
    public ulong Pc(ulong offset) => (ulong)Memory.Data + EhFrameBuilder.CodeDistance + offset;

    public void Dispose() => Memory.Dispose();
}
