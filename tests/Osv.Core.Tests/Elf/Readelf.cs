using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Osv.Core.Tests.Diagnostics;

namespace Osv.Core.Tests.Elf;

public sealed record ReadelfSymbol(uint Index, ulong Value, ulong Size, string Type, string Binding, string Section, string Name,
    string? Version, bool IsHidden, bool IsRequirement);

public sealed record ReadelfDynamicEntry(long Tag, string Type, string Value);

public sealed record ReadelfRelocation(string Section, ulong Offset, uint Type, uint SymbolIndex, long Addend);

/// <summary>The oracle: binutils' readelf text, parsed.</summary>
public static class Readelf
{
    private static string Run(string path, params string[] options) => Tools.Run("readelf", options.Append(path));

    private static ulong Hex(string text) => ulong.Parse(text.StartsWith("0x") ? text[2..] : text, NumberStyles.HexNumber);

    /// <summary>`readelf --dyn-syms -W`: "Num: Value Size Type Bind Vis Ndx Name[@[@]VERSION[ (n)]]".</summary>
    public static List<ReadelfSymbol> DynamicSymbols(string path)
    {
        var symbols = new List<ReadelfSymbol>();
        var line = new Regex(@"^\s*(\d+): ([0-9a-f]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(?:\[[^\]]*\]\s+)?(\S+)\s?(.*)$");
        foreach (string text in Run(path, "--dyn-syms", "-W").Split('\n'))
        {
            Match match = line.Match(text);
            if (!match.Success)
                continue;
            string size = match.Groups[3].Value;
            string name = match.Groups[8].Value.TrimEnd();
            string? version = null;
            bool hidden = false, requirement = false;
            Match suffix = Regex.Match(name, @" \((\d+)\)$");
            if (suffix.Success)
            {
                requirement = true;
                name = name[..suffix.Index];
            }
            int at = name.IndexOf('@');
            if (at >= 0)
            {
                bool isDefault = name.Substring(at).StartsWith("@@");
                version = name[(at + (isDefault ? 2 : 1))..];
                hidden = !isDefault && !requirement;
                name = name[..at];
            }
            symbols.Add(new ReadelfSymbol(uint.Parse(match.Groups[1].Value), Hex(match.Groups[2].Value),
                size.StartsWith("0x") ? Hex(size) : ulong.Parse(size), match.Groups[4].Value, match.Groups[5].Value,
                match.Groups[7].Value, name, version, hidden, requirement));
        }
        return symbols;
    }

    /// <summary>`readelf -d`: " 0x000000000000000c (INIT)   0x1000".</summary>
    public static List<ReadelfDynamicEntry> DynamicSection(string path)
    {
        var entries = new List<ReadelfDynamicEntry>();
        var line = new Regex(@"^\s*0x([0-9a-f]+) \((\S+)\)\s+(.*)$");
        foreach (string text in Run(path, "-d", "-W").Split('\n'))
        {
            Match match = line.Match(text);
            if (match.Success)
                entries.Add(new ReadelfDynamicEntry((long)Hex(match.Groups[1].Value), match.Groups[2].Value, match.Groups[3].Value.Trim()));
        }
        return entries;
    }

    /// <summary>The number a value column shows ("0x1000", "24 (bytes)", "3").</summary>
    public static ulong Number(string value)
    {
        string first = value.Split(' ')[0];
        return first.StartsWith("0x") ? Hex(first) : ulong.Parse(first);
    }

    /// <summary>The name in brackets ("Shared library: [libc.so.6]").</summary>
    public static string Bracketed(string value) => Regex.Match(value, @"\[(.*)\]").Groups[1].Value;

    /// <summary>`readelf -r -W`: RELA rows (offset, info, addend) per section, and the offsets of a RELR section.</summary>
    public static (List<ReadelfRelocation> Rela, List<ulong> Relr) Relocations(string path)
    {
        var rela = new List<ReadelfRelocation>();
        var relr = new List<ulong>();
        string section = "";
        bool inRelr = false;
        var header = new Regex(@"^Relocation section '([^']+)'");
        var row = new Regex(@"^([0-9a-f]{16})\s+([0-9a-f]{16})\s+(\S+)\s*(.*)$");
        var offset = new Regex(@"^([0-9a-f]{8,16})\s*$");
        foreach (string text in Run(path, "-r", "-W").Split('\n'))
        {
            Match start = header.Match(text);
            if (start.Success)
            {
                section = start.Groups[1].Value;
                inRelr = section.StartsWith(".relr");
                continue;
            }
            if (inRelr)
            {
                Match address = offset.Match(text);
                if (address.Success)
                    relr.Add(Hex(address.Groups[1].Value));
                continue;
            }
            Match match = row.Match(text);
            if (!match.Success)
                continue;
            ulong info = Hex(match.Groups[2].Value);
            string rest = match.Groups[4].Value.Trim();
            long addend;
            Match signed = Regex.Match(rest, @" ([+-]) ([0-9a-f]+)$");
            if (signed.Success)
                addend = (signed.Groups[1].Value == "-" ? -1 : 1) * (long)Hex(signed.Groups[2].Value);
            else
                addend = rest.Length == 0 ? 0 : (long)Hex(rest.Split(' ').Last());
            rela.Add(new ReadelfRelocation(section, Hex(match.Groups[1].Value), (uint)info, (uint)(info >> 32), addend));
        }
        return (rela, relr);
    }

    /// <summary>`readelf -l -W` rows: type, offset, vaddr, filesz, memsz.</summary>
    public static List<(string Type, ulong Offset, ulong Address, ulong FileSize, ulong MemorySize)> ProgramHeaders(string path)
    {
        var rows = new List<(string, ulong, ulong, ulong, ulong)>();
        var line = new Regex(@"^\s+(\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+)");
        foreach (string text in Run(path, "-l", "-W").Split('\n'))
        {
            Match match = line.Match(text);
            if (match.Success)
                rows.Add((match.Groups[1].Value, Hex(match.Groups[2].Value), Hex(match.Groups[3].Value), Hex(match.Groups[4].Value), Hex(match.Groups[5].Value)));
        }
        return rows;
    }
}
