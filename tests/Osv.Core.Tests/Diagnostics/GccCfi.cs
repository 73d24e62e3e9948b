using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Osv.Core.Tests.Diagnostics;

/// <summary>
/// Call-frame information from an independent toolchain: a small C program compiled and linked by gcc,
/// in two variants — CFI written by the assembler from .cfi_* directives ("gas": version 1 CIE,
/// pc-relative sdata4 addresses), and CFI tables written by gcc itself with -fno-dwarf2-cfi-asm ("gcc":
/// version 3 CIE, absolute udata4 addresses, DW_CFA_advance_loc4 throughout). The oracle
/// for the rules is `readelf --debug-dump=frames-interp`; the return addresses come from `objdump -d`.
/// </summary>
public sealed class GccCfiFixture : IDisposable
{
    public const string Source = """
        #define R10(x) x x x x x x x x x x
        __attribute__((noinline)) void sink(volatile long *p) { p[1] = p[0]; }
        /* leaf: no frame at all */
        __attribute__((noinline)) long leaf(long a, long b) { return a * b + 3; }
        /* frame pointer: CFA moves to rbp */
        __attribute__((noinline, optimize("no-omit-frame-pointer"))) long framed(long a)
        { volatile long x[4]; x[0] = a; sink(x); return x[1] + leaf(a, 2); }
        /* pushes callee-saved registers, rbp among them */
        __attribute__((noinline)) long saver(long a, long b, long c)
        { long r = leaf(a, b); r += leaf(b, c); r += leaf(c, a); sink((volatile long *)&r); return r + a + b + c; }
        /* a frame larger than a page: multi-byte ULEB offsets */
        __attribute__((noinline)) long bigframe(long a)
        { volatile long big[600]; big[0] = a; sink(big); return big[599] + leaf(a, a); }
        /* an epilogue in the middle: DW_CFA_remember_state / DW_CFA_restore_state */
        __attribute__((noinline)) long twoexits(long a, long b)
        { long r = leaf(a, b); if (r > 10) { r += leaf(r, b); return r * 3; } r += leaf(b, r); sink((volatile long *)&r); return r * 5 + b; }
        /* a long body: DW_CFA_advance_loc2 */
        __attribute__((noinline)) long longbody(long a)
        { volatile long v = a; long keep = leaf(a, 1); R10(R10(v = v * 3 + 1;)) return v + keep + leaf(keep, a); }
        void _start(void) { framed(1); saver(1, 2, 3); bigframe(4); twoexits(1, 2); longbody(3); for (;;) { } }
        """;

    private static readonly string[] CommonFlags =
    {
        "-O2", "-fno-ipa-ra", "-fno-inline", "-fasynchronous-unwind-tables", "-fno-stack-protector", "-fcf-protection=none",
        "-fno-pie", "-no-pie", "-nostdlib", "-static", "-Wl,-e,_start", "-Wl,--build-id=none",
    };

    private readonly string _directory;
    private readonly Dictionary<string, CfiProgram> _variants = new();

    public GccCfiFixture()
    {
        _directory = Path.Combine(Path.GetTempPath(), "osv-cfi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        string source = Path.Combine(_directory, "cfi.c");
        File.WriteAllText(source, Source);
        foreach ((string name, string[] flags) in new[] { ("gas", Array.Empty<string>()), ("gcc", new[] { "-fno-dwarf2-cfi-asm" }) })
        {
            string output = Path.Combine(_directory, name + ".elf");
            Tools.Run("gcc", CommonFlags.Concat(flags).Concat(new[] { "-o", output, source }));
            _variants[name] = CfiProgram.Load(name, output);
        }
    }

    public CfiProgram this[string variant] => _variants[variant];

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

internal static class Tools
{
    public static string Run(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }
}

public readonly record struct FunctionSymbol(string Name, ulong Address, ulong Size)
{
    public ulong End => Address + Size;
}

public readonly record struct CallSite(string Caller, string Callee, ulong ReturnAddress);

/// <summary>One FDE as readelf interprets it: its rows, each valid from Location to the next row.</summary>
public sealed record FdeTable(int Offset, uint Length, ulong PcBegin, ulong PcEnd, IReadOnlyList<(ulong Location, CfaRule Rule)> Rows)
{
    public int RecordEnd => Offset + 4 + (int)Length;

    public CfaRule RuleAt(ulong pc)
    {
        Assert.True(pc >= PcBegin && pc < PcEnd);
        return Rows.Last(row => row.Location <= pc).Rule;
    }

    /// <summary>Each row with the last address it covers.</summary>
    public IEnumerable<(ulong First, ulong Last, CfaRule Rule)> Ranges()
    {
        for (int i = 0; i < Rows.Count; i++)
        {
            ulong next = i + 1 < Rows.Count ? Rows[i + 1].Location : PcEnd;
            yield return (Rows[i].Location, next - 1, Rows[i].Rule);
        }
    }
}

/// <summary>A linked program: its .eh_frame bytes and address, its functions, the oracle's tables and its call sites.</summary>
public sealed class CfiProgram
{
    public required string Variant { get; init; }
    public required byte[] EhFrame { get; init; }
    public required ulong EhFrameAddress { get; init; }
    public required IReadOnlyList<FunctionSymbol> Functions { get; init; }
    public required IReadOnlyList<FdeTable> Fdes { get; init; }
    public required IReadOnlyList<CallSite> CallSites { get; init; }
    public required string ReadelfText { get; init; }
    public required string EhFrameDump { get; init; }
    /// <summary>Whether the FDE addresses are pc-relative (else absolute: they do not move with the copy).</summary>
    public required bool PcRelative { get; init; }

    public FunctionSymbol Function(string name) => Functions.Single(f => f.Name == name);
    public FdeTable FdeFor(ulong pc) => Fdes.Single(f => pc >= f.PcBegin && pc < f.PcEnd);
    public CfaRule RuleAt(ulong pc) => FdeFor(pc).RuleAt(pc);

    public static CfiProgram Load(string variant, string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        (byte[] ehFrame, ulong ehFrameAddress) = TinyElf.Section(elf, ".eh_frame");
        string interpreted = Tools.Run("readelf", new[] { "--debug-dump=frames-interp", path });
        string dump = Tools.Run("readelf", new[] { "--debug-dump=frames", path });
        var encodings = Regex.Matches(dump, @"Augmentation data:\s+([0-9a-f]{2})\s*\n").Select(m => Convert.ToByte(m.Groups[1].Value, 16)).Distinct().ToList();
        Assert.True(encodings.Count == 1, "expected one FDE encoding: " + string.Join(",", encodings));
        return new CfiProgram
        {
            Variant = variant,
            EhFrame = ehFrame,
            EhFrameAddress = ehFrameAddress,
            Functions = TinyElf.Functions(elf),
            Fdes = ReadelfFrames.Parse(interpreted),
            CallSites = ObjdumpCalls.Parse(Tools.Run("objdump", new[] { "-d", "-w", path }), TinyElf.Functions(elf)),
            ReadelfText = interpreted,
            EhFrameDump = dump,
            PcRelative = (encodings[0] & 0x70) == 0x10,
        };
    }
}

/// <summary>Just enough ELF64 to find a section's bytes and the FUNC symbols.</summary>
internal static class TinyElf
{
    private readonly record struct SectionHeader(string Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link);

    private static List<SectionHeader> Sections(byte[] elf)
    {
        Assert.True(elf.Length > 64 && elf[0] == 0x7F && elf[1] == (byte)'E' && elf[4] == 2 && elf[5] == 1, "not an ELF64 little-endian file");
        ReadOnlySpan<byte> data = elf;
        ulong sectionTable = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(0x28));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(0x3A));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(0x3C));
        int namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(0x3E));
        var raw = new List<(uint NameOffset, uint Type, ulong Address, ulong Offset, ulong Size, uint Link)>();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> header = data.Slice((int)sectionTable + i * entrySize, entrySize);
            raw.Add((BinaryPrimitives.ReadUInt32LittleEndian(header),
                BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(4)),
                BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(16)),
                BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(24)),
                BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(32)),
                BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(40))));
        }
        ulong names = raw[namesIndex].Offset;
        return raw.Select(s => new SectionHeader(CString(elf, (int)(names + s.NameOffset)), s.Type, s.Address, s.Offset, s.Size, s.Link)).ToList();
    }

    private static string CString(byte[] data, int offset)
    {
        int end = Array.IndexOf(data, (byte)0, offset);
        return Encoding.ASCII.GetString(data, offset, end - offset);
    }

    public static (byte[] Bytes, ulong Address) Section(byte[] elf, string name)
    {
        SectionHeader section = Sections(elf).Single(s => s.Name == name);
        return (elf.AsSpan((int)section.Offset, (int)section.Size).ToArray(), section.Address);
    }

    public static List<FunctionSymbol> Functions(byte[] elf)
    {
        List<SectionHeader> sections = Sections(elf);
        SectionHeader symbols = sections.Single(s => s.Type == 2); // SHT_SYMTAB
        SectionHeader strings = sections[(int)symbols.Link];
        var functions = new List<FunctionSymbol>();
        for (ulong offset = 0; offset < symbols.Size; offset += 24)
        {
            ReadOnlySpan<byte> symbol = elf.AsSpan((int)(symbols.Offset + offset), 24);
            if ((symbol[4] & 0xF) != 2) // STT_FUNC
                continue;
            string name = CString(elf, (int)(strings.Offset + BinaryPrimitives.ReadUInt32LittleEndian(symbol)));
            functions.Add(new FunctionSymbol(name, BinaryPrimitives.ReadUInt64LittleEndian(symbol.Slice(8)), BinaryPrimitives.ReadUInt64LittleEndian(symbol.Slice(16))));
        }
        return functions.OrderBy(f => f.Address).ToList();
    }
}

/// <summary>Parses `readelf --debug-dump=frames-interp` (binutils' own CFI interpreter).</summary>
internal static class ReadelfFrames
{
    private static readonly Regex CieHeader = new(@"^([0-9a-f]{8}) ([0-9a-f]+) ([0-9a-f]{8}) CIE");
    private static readonly Regex FdeHeader = new(@"^([0-9a-f]{8}) ([0-9a-f]+) ([0-9a-f]{8}) FDE cie=([0-9a-f]{8}) pc=([0-9a-f]+)\.\.([0-9a-f]+)");
    private static readonly Regex Row = new(@"^([0-9a-f]{16}) ");

    private sealed class Record
    {
        public int Offset;
        public uint Length;
        public bool IsCie;
        public int Cie;
        public ulong PcBegin, PcEnd;
        public string[] Columns = Array.Empty<string>();
        public List<(ulong Location, CfaRule Rule)> Rows = new();
    }

    public static List<FdeTable> Parse(string text)
    {
        var records = new List<Record>();
        Record? current = null;
        foreach (string line in text.Split('\n'))
        {
            Match match;
            if ((match = CieHeader.Match(line)).Success)
            {
                current = new Record { Offset = Hex(match.Groups[1].Value), Length = (uint)HexLong(match.Groups[2].Value), IsCie = true };
                records.Add(current);
            }
            else if ((match = FdeHeader.Match(line)).Success)
            {
                current = new Record
                {
                    Offset = Hex(match.Groups[1].Value),
                    Length = (uint)HexLong(match.Groups[2].Value),
                    Cie = Hex(match.Groups[4].Value),
                    PcBegin = HexLong(match.Groups[5].Value),
                    PcEnd = HexLong(match.Groups[6].Value),
                };
                records.Add(current);
            }
            else if (current != null && line.TrimStart().StartsWith("LOC ", StringComparison.Ordinal))
            {
                current.Columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
            else if (current != null && Row.IsMatch(line))
            {
                string[] values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(values.Length == current.Columns.Length, $"row '{line}' does not match columns '{string.Join(' ', current.Columns)}'");
                current.Rows.Add((HexLong(values[0]), ToRule(current.Columns, values, line)));
            }
        }
        var fdes = new List<FdeTable>();
        foreach (Record record in records.Where(r => !r.IsCie))
        {
            Record cie = records.Single(r => r.IsCie && r.Offset == record.Cie);
            Assert.True(cie.Rows.Count == 1, "expected one initial row in the CIE");
            // An FDE without instructions prints no table: the CIE's initial rules hold throughout.
            var rows = record.Rows.Count > 0 ? record.Rows : new List<(ulong, CfaRule)> { (record.PcBegin, cie.Rows[0].Rule) };
            Assert.Equal(record.PcBegin, rows[0].Item1);
            fdes.Add(new FdeTable(record.Offset, record.Length, record.PcBegin, record.PcEnd, rows));
        }
        Assert.NotEmpty(fdes);
        return fdes;
    }

    private static CfaRule ToRule(string[] columns, string[] values, string line)
    {
        Match cfa = Regex.Match(values[Array.IndexOf(columns, "CFA")], @"^(rsp|rbp)\+(\d+)$");
        Assert.True(cfa.Success, $"unsupported CFA in '{line}'");
        long? rbp = null;
        int rbpColumn = Array.IndexOf(columns, "rbp");
        if (rbpColumn >= 0 && values[rbpColumn] != "u")
            rbp = SlotOffset(values[rbpColumn], line);
        long ra = SlotOffset(values[Array.IndexOf(columns, "ra")], line);
        return new CfaRule(cfa.Groups[1].Value == "rsp" ? CfaRule.Rsp : CfaRule.Rbp, long.Parse(cfa.Groups[2].Value, CultureInfo.InvariantCulture), rbp, ra);
    }

    private static long SlotOffset(string value, string line)
    {
        Match slot = Regex.Match(value, @"^c([+-]\d+)$");
        Assert.True(slot.Success, $"unsupported register rule '{value}' in '{line}'");
        return long.Parse(slot.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static int Hex(string text) => int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    private static ulong HexLong(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}

/// <summary>Every direct call in `objdump -d -w` output, with the address it returns to.</summary>
internal static class ObjdumpCalls
{
    private static readonly Regex Instruction = new(@"^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t(\S+)\s*(.*)$");

    public static List<CallSite> Parse(string text, IReadOnlyList<FunctionSymbol> functions)
    {
        var calls = new List<CallSite>();
        foreach (string line in text.Split('\n'))
        {
            Match match = Instruction.Match(line);
            if (!match.Success || !match.Groups[3].Value.StartsWith("call", StringComparison.Ordinal))
                continue;
            ulong address = ulong.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int length = match.Groups[2].Value.Trim().Split(' ').Length;
            Match target = Regex.Match(match.Groups[4].Value, @"^[0-9a-f]+ <([^>+]+)>$");
            Assert.True(target.Success, $"indirect or unexpected call: '{line}'");
            string caller = functions.Single(f => address >= f.Address && address < f.End).Name;
            calls.Add(new CallSite(caller, target.Groups[1].Value, address + (ulong)length));
        }
        return calls;
    }
}
