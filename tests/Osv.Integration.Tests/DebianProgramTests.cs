using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// Debian's own builds of small real programs, run one after another in one boot (each gets fresh
/// standard descriptors although the one before closed them): jq on JSON, mawk on CSV, bc with its
/// math library, sqlite3 on a file database (record locks, journal, fsync), perl on a script.
/// </summary>
public sealed class DebianProgramTests
{
    private readonly ITestOutputHelper _output;

    public DebianProgramTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task JqMawkAndBcComputeTheirAnswers()
    {
        string image = DebianPrograms.Image("debian-tools", new[] { "/usr/bin/jq", "/usr/bin/mawk", "/usr/bin/bc" },
            "input.json", "sum.awk", "rows.csv", "calc.bc");

        VmRunResult result = await Kernel.BootAsync(_output,
            "/usr/bin/jq -M -c \"{name, total: (.n | add), tags: (.tags | length)}\" /input.json; /usr/bin/mawk -f /sum.awk /rows.csv; /usr/bin/bc -lq /calc.bc",
            disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^\\{\"name\":\"osv\",\"total\":6,\"tags\":2\\}$");
        Kernel.Line(result, "^3 rows, total 42, names a b c $");
        Kernel.Line(result, "^3\\.14159265358979323844$");
        Kernel.Line(result, "^18446744073709551616$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC|Error:"));
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task JqReportsBadInputWithItsOwnMessageAndStatus()
    {
        string image = DebianPrograms.Image("debian-tools", new[] { "/usr/bin/jq", "/usr/bin/mawk", "/usr/bin/bc" },
            "input.json", "sum.awk", "rows.csv", "calc.bc");

        VmRunResult result = await Kernel.BootAsync(_output, "/usr/bin/jq -M .missing.field /sum.awk", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^jq: error \\(at /sum\\.awk:\\d+\\): Invalid numeric literal at line 1, column 6|^parse error: Invalid numeric literal at line 1, column 6$");
        Kernel.ExitedWith(result, 4);
    }

    [Fact]
    public async Task Sqlite3KeepsAFileDatabaseBetweenTwoRuns()
    {
        string image = DebianPrograms.Image("debian-sqlite3", new[] { "/usr/bin/sqlite3" }, "shop.sql");

        VmRunResult result = await Kernel.BootAsync(_output,
            "--env=HOME=/tmp /usr/bin/sqlite3 -init /shop.sql /tmp/shop.db .quit; /usr/bin/sqlite3 /tmp/shop.db \"select count(*), sum(quantity) from orders; pragma integrity_check;\"",
            disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^apple\\|10\\|5\\.00$");
        Kernel.Line(result, "^fig\\|1\\|2\\.00$");
        Kernel.Line(result, "^pear\\|2\\|1\\.50$");
        Kernel.Line(result, "^4\\|13$");
        Kernel.Line(result, "^ok$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC|Error"));
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task PerlRunsAScriptWithoutModules()
    {
        string image = DebianPrograms.Image("debian-perl", new[] { "/usr/bin/perl" }, "words.pl");

        VmRunResult result = await Kernel.BootAsync(_output, "/usr/bin/perl /words.pl", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^words: 9 distinct, top the x3$");
        Kernel.Line(result, "^closures: 11 12 13$");
        Kernel.Line(result, "^tree: root -a -b --c$");
        Kernel.Line(result, "^file: sum 15$");
        Kernel.Line(result, "^eval caught: deliberate$");
        Kernel.Line(result, "^substitution: 27\\.11\\.2026$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC|symbol lookup error"));
        Kernel.ExitedWith(result, 3);
    }
}
