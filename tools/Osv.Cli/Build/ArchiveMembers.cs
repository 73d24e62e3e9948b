using System;
using System.Collections.Generic;

namespace Osv.Cli.Build;

/// <summary>One archive member GNU ld pulled into the link, and the reference that pulled it.</summary>
public sealed record ArchiveMember(string Archive, string Member, string ReferencedBy, string Symbol);

/// <summary>
/// Reads the "Archive member included to satisfy reference by file (symbol)" part of a GNU ld map:
/// <code>
/// /usr/lib/x86_64-linux-musl/libc.a(strlen.lo)
///                               build/x64/obj/kernel.o (strlen)
/// </code>
/// (a long member name puts the reference on the same line; a symbol asked for with --undefined has
/// no file: `(strlen)`, reported as <see cref="CommandLine"/>).
/// </summary>
public static class ArchiveMembers
{
    /// <summary>What <see cref="ArchiveMember.ReferencedBy"/> says for a symbol the command line asked for (--undefined).</summary>
    public const string CommandLine = "the command line (--undefined)";

    private const string SectionTitle = "Archive member included to satisfy reference by file (symbol)";

    public static IReadOnlyList<ArchiveMember> FromLinkMap(string map)
    {
        var members = new List<ArchiveMember>();
        string[] lines = map.Split('\n');
        int index = Array.FindIndex(lines, line => line.TrimEnd() == SectionTitle);
        if (index < 0)
            return members;
        string? pending = null;
        for (index++; index < lines.Length; index++)
        {
            string line = lines[index].TrimEnd();
            if (line.Length == 0)
            {
                if (members.Count > 0 || pending != null)
                    break;
                continue;
            }
            if (!char.IsWhiteSpace(line[0]))
            {
                // "archive(member)" possibly followed by the reference on the same line.
                int close = line.IndexOf(')');
                if (close < 0)
                    break;
                pending = line[..(close + 1)];
                string rest = line[(close + 1)..].Trim();
                if (rest.Length > 0)
                {
                    members.Add(Parse(pending, rest));
                    pending = null;
                }
            }
            else if (pending != null)
            {
                members.Add(Parse(pending, line.Trim()));
                pending = null;
            }
        }
        return members;
    }

    private static ArchiveMember Parse(string archiveAndMember, string reference)
    {
        int open = archiveAndMember.IndexOf('(');
        string archive = open < 0 ? archiveAndMember : archiveAndMember[..open];
        string member = open < 0 ? "" : archiveAndMember[(open + 1)..^1];
        int symbolOpen = reference.LastIndexOf('(');
        string referencedBy = symbolOpen < 0 ? reference : reference[..symbolOpen].Trim();
        if (referencedBy.Length == 0)
            referencedBy = CommandLine;
        string symbol = symbolOpen < 0 ? "" : reference[(symbolOpen + 1)..].TrimEnd(')');
        return new ArchiveMember(archive, member, referencedBy, symbol);
    }
}
