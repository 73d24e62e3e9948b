using System.IO;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// The C library a real program such as Lua touches beyond the basics: stdio as glibc's headers
/// inline it, and fscanf (tests/apps/streams.c); time zones, locale, environment changes, select, isatty,
/// the user database and chown (tests/apps/calendar.c).
/// </summary>
public sealed class CLibraryBreadthTests
{
    private readonly ITestOutputHelper _output;

    public CLibraryBreadthTests(ITestOutputHelper output) => _output = output;

    private static string Build(string variant, string program) => variant switch
    {
        "pie" => TestApps.GlibcPie(program),
        "hardened" => TestApps.GlibcHardenedPie(program),
        "static-pie" => TestApps.GlibcStaticPie(program),
        _ => TestApps.StaticPieWithMusl(program),
    };

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    [InlineData("static-pie")]
    [InlineData("musl")]
    public async Task InlinedStreamCallsUngetcFreopenAndTemporaryFiles(string variant)
    {
        string image = ApplicationTests.Image("breadth-streams-" + variant, ("/streams", Build(variant, "streams")));

        VmRunResult result = await Kernel.BootAsync(_output, "/streams", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^getc_unlocked read 17 bytes in 2 lines, eof 1, error 0$");
        Kernel.Line(result, "^ungetc: first a, pushed Z, read back Z then l$");
        Kernel.Line(result, "^ungetc\\(EOF\\) = -1$");
        Kernel.Line(result, "^freopen same stream: yes, first line alpha beta$");
        Kernel.Line(result, "^fscanf: 3 fields, 12 apples 3\\.5, then newline, rest next line$");
        Kernel.Line(result, "^fscanf at end of file: -1$");
        Kernel.Line(result, "^tmpfile: read back 12 bytes: scratch data$");
        Kernel.Line(result, "^mkstemp: fd ok yes, name changed yes, exists yes$");
        Kernel.Line(result, "^remove file: 0, gone yes$");
        Kernel.Line(result, "^mkdtemp: ok, is a directory yes, remove 0$");
        Kernel.Line(result, "^mkstemp without XXXXXX: -1 errno 22$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task ProgramsFindNoShell()
    {
        string image = ApplicationTests.Image("breadth-streams-pie", ("/streams", Build("pie", "streams")));

        VmRunResult result = await Kernel.BootAsync(_output, "/streams", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^popen: NULL errno 38, system\\(NULL\\) 0$");
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    public async Task TimeZonesLocaleEnvironmentSelectAndTheUserDatabase(string variant)
    {
        string passwd = Path.Combine(Kernel.Layout.Root, "build", "test-apps", "passwd");
        File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/sh\nosv:x:1000:1000:Osv user:/home/osv:/bin/false\nnot a valid line\n");
        string group = Path.Combine(Kernel.Layout.Root, "build", "test-apps", "group");
        File.WriteAllText(group, "root:x:0:\nwheel:x:10:root,osv\nosv:x:1000:\nstaff:x:50:ada,osv\nbroken\n");
        string image = ApplicationTests.Image("breadth-calendar-" + variant,
            ("/calendar", Build(variant, "calendar")),
            ("/etc/passwd", passwd),
            ("/etc/group", group),
            ("/usr/share/zoneinfo/Europe/Paris", "/usr/share/zoneinfo/Europe/Paris"));

        VmRunResult result = await Kernel.BootAsync(_output, "/calendar", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^gmtime: 2023-11-14 22:13:20 Tue Nov 318$");
        Kernel.Line(result, "^timegm round trip: yes$");
        Kernel.Line(result, "^after tzset: timezone 18000 daylight 1 tzname EST EDT$");
        Kernel.Line(result, "^localtime in New York: 17:13 EST, isdst 0$");
        Kernel.Line(result, "^summer in New York: 00:26 EDT, isdst 1, mktime back yes$");
        Kernel.Line(result, "^localtime in Europe/Paris: 23:13 CET \\+0100$");
        Kernel.Line(result, "^after localtime: timezone -32400 tzname JST$");
        Kernel.Line(result, "^clock: advances yes$");
        Kernel.Line(result, "^setlocale C: C, decimal point '\\.', codeset ASCII$");
        Kernel.Line(result, "^setenv keeps: one$");
        Kernel.Line(result, "^setenv overwrites: three, environ grew by 1$");
        Kernel.Line(result, "^putenv: yes$");
        Kernel.Line(result, "^unsetenv: gone, environ grew by 1$");
        Kernel.Line(result, "^setenv with '=' in the name: -1 errno 22$");
        Kernel.Line(result, "^select: empty pipe 0, after a write 1, bit set yes$");
        Kernel.Line(result, "^isatty: console 1, file 0 errno 25$");
        Kernel.Line(result, "^getpwnam root: root uid 0 home /root$");
        Kernel.Line(result, "^getpwuid 1000: osv shell /bin/false$");
        Kernel.Line(result, "^getpwnam nobody-here: none$");
        Kernel.Line(result, "^getpwent: 2 entries$");
        Kernel.Line(result, "^getgrnam wheel: gid 10 members root osv$");
        Kernel.Line(result, "^getgrgid 1000: osv, no members$");
        Kernel.Line(result, "^getgrouplist osv: 3: 1000 10 50$");
        Kernel.Line(result, "^getgrouplist with room for 1: -1, needs 3$");
        Kernel.Line(result, "^getgrent: 4 entries$");
        Kernel.Line(result, "^chown: to root 0, to 1000 -1 errno 1$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    public async Task GlibcOnlyEntryPointsThatCompiledProgramsReach(string variant)
    {
        string image = ApplicationTests.Image("breadth-glibcisms-" + variant, ("/glibcisms", Build(variant, "glibcisms")));

        VmRunResult result = await Kernel.BootAsync(_output, "/glibcisms", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^sscanf: 3 fields, 27 November 2026$");
        Kernel.Line(result, "^asprintf: 10 value-0007$");
        Kernel.Line(result, "^realpath: /tmp$");
        Kernel.Line(result, "^SIGRTMIN 34 SIGRTMAX 64$");
        Kernel.Line(result, "^getauxval: page size 4096, random bytes yes, missing 0 errno 2$");
        Kernel.Line(result, "^__strtod_l: 2\\.75$");
        Kernel.Line(result, "^single threaded flag is a flag: yes, __fsetlocking 1, pthread_atfork 0$");
        Kernel.Line(result, "^__fpending before fflush: 91$");
        Kernel.Line(result, "^getline 11: first line$");
        Kernel.Line(result, "^getline 76: a much longer second line that needs a bigger buffer than the first one did$");
        Kernel.Line(result, "^getline 4: last$");
        Kernel.Line(result, "^rawmemchr: offset 9$");
        Kernel.Line(result, "^getentropy 0, 300 bytes -1 errno 5, arc4random_uniform in range yes$");
        Kernel.Line(result, "^getrusage: 0$");
        Kernel.Line(result, "^fork -1 errno 38, waitpid -1 errno 10$");
        Kernel.Line(result, "^/glibcisms: error\\(\\) says 5: No such file or directory$");
        Kernel.Line(result, "^thread_local destructor of a thread: 10$");
        Kernel.Line(result, "^perror says: No such file or directory$");
        Kernel.Line(result, "^glibcisms: syslog line 42$");
        Assert.Empty(Kernel.LinesMatching(result, "masked"));
        Kernel.Line(result, "^exiting$", out int exiting);
        Kernel.Line(result, "^thread_local destructor of main ran: main-object$", out int destructor);
        Kernel.Line(result, "^atexit handler after it$", out int handler);
        Assert.True(exiting < destructor && destructor < handler, "thread_local destructors run at exit, before atexit handlers");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task AFailedAssertionPrintsGlibcsMessageAndAborts()
    {
        string image = ApplicationTests.Image("breadth-glibcisms-pie", ("/glibcisms", Build("pie", "glibcisms")));

        VmRunResult result = await Kernel.BootAsync(_output, "/glibcisms assert", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^/glibcisms: \\S*tests/apps/glibcisms\\.c:\\d+: main: Assertion `answer == 42' failed\\.$");
        Kernel.Line(result, "^/glibcisms: terminated by signal 6 \\(status 134\\)$");
        Kernel.ExitedWith(result, 134);
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    public async Task GetoptPermutesArgumentsAndParsesLongOptionsAsGlibc(string variant)
    {
        string image = ApplicationTests.Image("breadth-options-" + variant, ("/options", Build(variant, "options")));

        VmRunResult result = await Kernel.BootAsync(_output,
            "/options -v input1 -o out --level=3 --verb input2 -x --count 7 -y --lev 2 --verbose=no --co -- -notanoption",
            disks: new[] { new DiskAttachment(image) });

        string[] expected =
        {
            "option v", "option o = out", "option l = 3", "long flag verbose set, verbose_flag 1", "option x", "option c = 7",
            "/options: invalid option -- 'y'", "bad option, optopt 121", "option l = 2",
            "/options: option '--verbose' doesn't allow an argument", "bad option, optopt 1",
            "/options: option '--co' is ambiguous", "bad option, optopt 0",
            "operands from 15: input1 input2 -notanoption",
        };
        Kernel.Line(result, "^option v$", out int first);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], result.Lines[first + i]);
        Kernel.Line(result, "^second scan: a optarg \\(null\\)");
        Kernel.Line(result, "^second scan: b optarg value");
        Kernel.Line(result, "^second scan: : optarg \\(null\\) optopt c$");
        Kernel.Line(result, "^'\\+' stops at the first operand: -1, optind 1$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    public async Task PosixRegexWithGlibcsTypes(string variant)
    {
        string image = ApplicationTests.Image("breadth-regex-" + variant, ("/regex", Build(variant, "regex")));

        VmRunResult result = await Kernel.BootAsync(_output, "/regex", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^regcomp 0, re_nsub 3$");
        Kernel.Line(result, "^first date: \\[5,15 2026-11-27\\] \\[5,9 2026\\] \\[10,12 11\\] \\[13,15 27\\]$");
        Kernel.Line(result, "^REG_STARTEND 0$");
        Kernel.Line(result, "^second date: \\[20,30 1999-01-02\\] \\[20,24 1999\\] \\[25,27 01\\] \\[28,30 02\\]$");
        Kernel.Line(result, "^no match: 1$");
        Kernel.Line(result, "^icase, unmatched group: \\[0,6 HELLO \\] \\[-\\] \\[-\\]$");
        Kernel.Line(result, "^REG_NOTBOL: 1$");
        Kernel.Line(result, "^REG_NEWLINE\\|REG_NOSUB: 0$");
        Kernel.Line(result, "^bad pattern: 8 \\S"); // REG_EPAREN; the text is musl's ("Missing ')'"), glibc words it differently
        Kernel.ExitedWith(result, 0);
    }
}
