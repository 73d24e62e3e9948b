using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Build;

/// <summary>
/// Only musl's leaf code may be linked: a member that issues system calls (the list in
/// src/Osv.Kernel/Libc/musl-os-members.txt) would bypass the kernel. The kernel provides those
/// functions in C#; when an export or the kernel references one that C# does not define yet, the link
/// map shows the member and the build fails here, naming the reference that pulled it in.
/// </summary>
public static class MuslLinkCheck
{
    public static IReadOnlyList<string> ReadForbiddenMembers(string path)
    {
        if (!File.Exists(path))
            throw new OsvException($"the list of musl members that touch the OS ({path}) is missing");
        return File.ReadAllLines(path)
            .Select(line => (line.IndexOf('#') is int comment and >= 0 ? line[..comment] : line).Trim())
            .Where(line => line.Length > 0)
            .ToList();
    }

    /// <summary>The members of <paramref name="archive"/> in the link; throws if one is forbidden.</summary>
    public static IReadOnlyList<ArchiveMember> Check(string linkMap, string archive, IReadOnlyCollection<string> forbidden)
    {
        IReadOnlyList<ArchiveMember> linked = ArchiveMembers.FromLinkMap(linkMap)
            .Where(member => member.Archive == archive).ToList();
        var forbiddenSet = new HashSet<string>(forbidden, StringComparer.Ordinal);
        List<ArchiveMember> bad = linked.Where(member => forbiddenSet.Contains(member.Member)).ToList();
        if (bad.Count > 0)
        {
            throw new OsvException(
                $"musl code that issues system calls was linked from {archive}: the kernel must provide these functions in C# " +
                "(or stop exporting what needs them)",
                details: string.Join("\n", bad.Select(member =>
                    $"  {member.Member}: pulled in by {member.ReferencedBy} for '{member.Symbol}'")));
        }
        return linked;
    }
}
