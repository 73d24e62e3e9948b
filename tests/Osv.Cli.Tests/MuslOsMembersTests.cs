using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Osv.Cli.Build;
using Osv.Cli.Infrastructure;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

/// <summary>src/Osv.Kernel/Libc/musl-os-members.txt still names exactly the libc.a members that issue system calls.</summary>
public sealed class MuslOsMembersTests
{
    [Fact]
    public void TheCheckedInListMatchesTheInstalledLibcA()
    {
        string listPath = Path.Combine(RepositoryLayout.FindUpwards(System.AppContext.BaseDirectory, "Osv.sln")!, "src", "Osv.Kernel", "Libc", "musl-os-members.txt");
        var listed = MuslLinkCheck.ReadForbiddenMembers(listPath).ToHashSet();

        // Independently: members whose code has the syscall instruction, or that call musl's syscall helpers.
        string disassembly = ExternalCommand.RunChecked("objdump", new[] { "-d", "--no-show-raw-insn", RepositoryLayout.MuslArchive }, "/");
        var direct = new System.Collections.Generic.HashSet<string>();
        string member = "";
        foreach (string line in disassembly.Split('\n'))
        {
            Match header = Regex.Match(line, @"^(\S+\.lo):\s+file format");
            if (header.Success)
                member = header.Groups[1].Value;
            else if (Regex.IsMatch(line, @"\tsyscall\b"))
                direct.Add(member);
        }
        string undefined = ExternalCommand.RunChecked("nm", new[] { "-A", "-u", RepositoryLayout.MuslArchive }, "/");
        var helpers = undefined.Split('\n')
            .Select(line => Regex.Match(line, @"libc\.a:([^:]+):\s+U (__syscall_cp|__syscall_cp_asm|__vdsosym|__syscall)$"))
            .Where(match => match.Success).Select(match => match.Groups[1].Value);

        var expected = direct.Concat(helpers).ToHashSet();
        Assert.True(expected.Count > 200, $"only {expected.Count} members found: is musl-dev installed?");
        Assert.Empty(expected.Except(listed));
        Assert.Empty(listed.Except(expected));
        Assert.Contains("write.lo", listed);
        Assert.DoesNotContain("strlen.lo", listed);
    }
}
