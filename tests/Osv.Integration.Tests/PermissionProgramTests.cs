using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// tests/apps/permissions.c as a glibc PIE (through the C# C library's chmod and utime wrappers) and as
/// a musl static PIE (musl's own wrappers, straight onto the system calls): permission bits and times
/// set on /tmp read back by stat, UTIME_OMIT/UTIME_NOW, symlinks, and errno on the rofs root. The
/// expected lines are what the same program prints on Linux 6.18 (apart from the rofs lines).
/// </summary>
public sealed class PermissionProgramTests
{
    private readonly ITestOutputHelper _output;

    public PermissionProgramTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("pie")]
    [InlineData("musl")]
    public async Task ChmodAndFileTimesReadBackThroughStat(string variant)
    {
        string program = variant == "pie" ? TestApps.GlibcPie("permissions") : TestApps.StaticPieWithMusl("permissions");
        string image = ApplicationTests.Image("programs-permissions-" + variant, ("/permissions", program));

        VmRunResult result = await Kernel.BootAsync(_output, "/permissions", cpus: 1, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^chmod 0600: 0 mode 100600$");
        Kernel.Line(result, "^fchmod 04751: 0 mode 104751$");
        Kernel.Line(result, "^chmod with type bits: 0 mode 100644$");
        Kernel.Line(result, "^fchmodat: 0 mode 100640$");
        Kernel.Line(result, "^chmod through a symlink: 0 target 100444 link 120777$");
        Kernel.Line(result, "^lchmod symlink: -1 errno 95$");
        Kernel.Line(result, "^fchmodat NOFOLLOW symlink: -1 errno 95$");
        if (variant == "pie")
            Kernel.Line(result, "^lchmod file: 0 mode 100604$");
        Kernel.Line(result, "^fchmodat bad flags: -1 errno 22$");
        Kernel.Line(result, "^chmod missing: -1 errno 2$");
        Kernel.Line(result, "^chmod under a file: -1 errno 20$");
        Kernel.Line(result, "^fchmod bad fd: -1 errno 9$");
        Kernel.Line(result, "^chmod bad pointer: -1 errno 14$");
        Kernel.Line(result, "^chmod rofs file: -1 errno 30$");
        Kernel.Line(result, "^chmod rofs root: -1 errno 30$");
        Kernel.Line(result, "^chmod rofs missing: -1 errno 2$");
        Kernel.Line(result, "^rofs mode unchanged: ok$");

        Kernel.Line(result, "^utimes: 0 atime 1000000000\\.250000000 mtime 1200000000\\.500000000$");
        Kernel.Line(result, "^utimes ctime near now: ok$");
        Kernel.Line(result, "^utimensat omit mtime: 0 atime 1300000000\\.123456789 mtime 1200000000\\.500000000$");
        Kernel.Line(result, "^utimensat UTIME_NOW: ok$");
        Kernel.Line(result, "^futimens: 0 atime 1400000000\\.000000001 mtime 1500000000\\.000000002$");
        Kernel.Line(result, "^futimes: 0 atime 1600000000\\.000007000 mtime 1600000001\\.000008000$");
        Kernel.Line(result, "^utime: 0 atime 1700000000\\.000000000 mtime 1700000001\\.000000000$");
        Kernel.Line(result, "^utime NULL is now: ok$");
        Kernel.Line(result, "^lutimes link: 0 atime 1000\\.000000000 mtime 2000\\.000000000$");
        Kernel.Line(result, "^lutimes left the target: ok$");
        Kernel.Line(result, "^utimensat NOFOLLOW link: 0 atime 3000\\.000000000 mtime 4000\\.000000000$");
        Kernel.Line(result, "^utimensat bad nsec: -1 errno 22$");
        Kernel.Line(result, "^utimensat bad flags: -1 errno 22$");
        Kernel.Line(result, "^utimes missing: -1 errno 2$");
        Kernel.Line(result, "^utimensat missing: -1 errno 2$");
        Kernel.Line(result, "^futimens bad fd: -1 errno 9$");
        if (variant == "pie")
            Kernel.Line(result, "^utimensat bad times pointer: -1 errno 14$");
        Kernel.Line(result, "^utimes rofs: -1 errno 30$");
        Kernel.Line(result, "^utimensat both omitted on a missing path: 0$");
        Kernel.Line(result, "^permissions done, 0 failures$");
        Assert.Empty(Kernel.LinesMatching(result, "FAILED"));
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 0);
    }
}
