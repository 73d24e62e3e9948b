using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// Ordinary glibc-built programs (gcc here, against the machine's glibc), linked by the kernel's
/// dynamic linker against the kernel's own exports: a PIE, Debian's hardened build, a shared object
/// with main, the C library around main, and the programs it must refuse by name.
/// </summary>
public sealed class GlibcApplicationTests
{
    private readonly ITestOutputHelper _output;

    public GlibcApplicationTests(ITestOutputHelper output) => _output = output;

    private Task<VmRunResult> Boot(string image, string commandLine, int cpus = 1) =>
        Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });

    private static void HelloLines(VmRunResult result, string program)
    {
        Kernel.Line(result, "^Hello from " + program + ": 2 arguments$");
        Kernel.Line(result, "^argv\\[1\\] = first$");
        Kernel.Line(result, "^argv\\[2\\] = second word$");
        Kernel.Line(result, "^integers -42 1234567890123 4000000000, doubles 3\\.142 0\\.5 6\\.020000e\\+23$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AGlibcPieRunsWithItsArgumentsEnvironmentAndExitStatus(int cpus)
    {
        string image = ApplicationTests.Image("hello-glibc", ("/hello", TestApps.GlibcPie("hello")));

        VmRunResult result = await Boot(image, "--env=EXIT_STATUS=7 /hello first \"second word\"", cpus);

        HelloLines(result, "/hello");
        Kernel.ExitedWith(result, 7);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AHardenedGlibcPieRunsWithFortifiedCallsAndBindNow(int cpus)
    {
        string image = ApplicationTests.Image("hello-glibc-hardened", ("/hello", TestApps.GlibcHardenedPie("hello")));

        VmRunResult result = await Boot(image, "--env=EXIT_STATUS=3 /hello first \"second word\"", cpus);

        HelloLines(result, "/hello");
        Kernel.ExitedWith(result, 3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ASharedObjectWithMainRunsByPath(int cpus)
    {
        string image = ApplicationTests.Image("hello-glibc-so", ("/hello.so", TestApps.GlibcSharedObject("hello")));

        VmRunResult result = await Boot(image, "--env=EXIT_STATUS=9 /hello.so first \"second word\"", cpus);

        HelloLines(result, "/hello.so");
        Kernel.ExitedWith(result, 9);
    }

    [Fact]
    public async Task TheCLibraryAroundMainBehavesAsGlibcs()
    {
        string image = ApplicationTests.Image("stdio-glibc", ("/stdio", TestApps.GlibcPie("stdio")));

        VmRunResult result = await Boot(image, "--env=GREETING=hi /stdio");

        Kernel.Line(result, "^constructor runs before main$");
        Kernel.Line(result, "^fprintf to stdout: stdio 1$");
        Kernel.Line(result, "^puts adds a newline$");
        Kernel.Line(result, "^fputs \\+ fwrite$");
        Kernel.Line(result, "^environ has 1 entries, GREETING=hi$");
        Kernel.Line(result, "^read back: line one 1$");
        Kernel.Line(result, "^read back: line two$");
        Kernel.Line(result, "^fopen of a missing file: errno 2$");
        Kernel.Line(result, "^to stderr$");
        // exit flushes the pending output, then the handlers run last-registered first, then destructors.
        Kernel.Line(result, "^pending output without a newlineatexit handler registered second runs first$");
        Kernel.Line(result, "^atexit handler registered first runs last$");
        Kernel.Line(result, "^destructor runs after the atexit handlers$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 5);
    }

    [Fact]
    public async Task GlibcMuslAndSharedObjectProgramsRunOneAfterAnother()
    {
        string image = ApplicationTests.Image("hello-mixed",
            ("/glibc", TestApps.GlibcPie("hello")), ("/musl", TestApps.StaticPieWithMusl("hello")), ("/so", TestApps.GlibcSharedObject("hello")));

        VmRunResult result = await Boot(image, "/glibc a; /musl b c; /so d e f; /glibc");

        Kernel.Line(result, "^Hello from /glibc: 1 argument$");
        Kernel.Line(result, "^Hello from /musl: 2 arguments$");
        Kernel.Line(result, "^Hello from /so: 3 arguments$");
        Kernel.Line(result, "^Hello from /glibc: 0 arguments$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task AMissingFunctionThatIsNeverCalledDoesNotStopAPlainPie()
    {
        string image = ApplicationTests.Image("missing-lazy", ("/app", TestApps.GlibcPie("missing")));

        VmRunResult result = await Boot(image, "/app");

        Kernel.Line(result, "^missing: 0 arguments$");
        Kernel.Line(result, "^missing: strfry never called$");
        Assert.Empty(Kernel.LinesMatching(result, "strfry \\(version|symbol lookup error|PANIC"));
        Kernel.ExitedWith(result, 3);
    }

    [Fact]
    public async Task CallingAMissingFunctionIsGlibcsSymbolLookupErrorAndStatus127()
    {
        string image = ApplicationTests.Image("missing-lazy-call", ("/app", TestApps.GlibcPie("missing")));

        VmRunResult result = await Boot(image, "/app call");

        Kernel.Line(result, "^missing: 1 arguments$", out int before);
        Kernel.Line(result, "^/app: symbol lookup error: /app: undefined symbol: strfry, version GLIBC_2\\.2\\.5$", out int error);
        Assert.True(before < error, "the program ran up to the call");
        Assert.Empty(Kernel.LinesMatching(result, "unreachable|never called|PANIC"));
        Kernel.ProgramExitedWith(result, 127);
    }

    [Fact]
    public async Task ABindNowPieWithAMissingFunctionIsRefusedAtLoadNamingItsVersion()
    {
        string image = ApplicationTests.Image("missing-bind-now", ("/app", TestApps.GlibcHardenedPie("missing")));

        VmRunResult result = await Boot(image, "/app");

        Kernel.Line(result, "^Error: /app: symbol strfry \\(version GLIBC_2\\.2\\.5\\) not found, needed by /app$");
        Assert.Empty(Kernel.LinesMatching(result, "^missing:|unreachable|PANIC"));
        Kernel.ExitedWith(result, 1);
    }

    [Fact]
    public async Task DebiansTrueAndFalseRunWithTheirStatuses()
    {
        string image = ApplicationTests.Image("debian-true-false", ("/true", "/bin/true"), ("/false", "/bin/false"));

        VmRunResult result = await Boot(image, "/true; /false");

        Assert.Empty(Kernel.LinesMatching(result, "Error|symbol lookup error|PANIC"));
        Kernel.ExitedWith(result, 1); // /false's status, the last command's

        Kernel.ExitedWith(await Boot(image, "/false; /true"), 0);
    }

    [Fact]
    public async Task LdBindNowMakesAPlainPieWithAMissingFunctionFailAtLoad()
    {
        string image = ApplicationTests.Image("missing-ld-bind-now", ("/app", TestApps.GlibcPie("missing")));

        VmRunResult result = await Boot(image, "--env=LD_BIND_NOW=1 /app");

        Kernel.Line(result, "^Error: /app: symbol strfry \\(version GLIBC_2\\.2\\.5\\) not found, needed by /app$");
        Assert.Empty(Kernel.LinesMatching(result, "^missing:|PANIC"));
        Kernel.ExitedWith(result, 1);
    }

    [Fact]
    public async Task AMissingLibraryIsNamed()
    {
        string image = ApplicationTests.Image("missing-library", ("/app", TestApps.GlibcPieNeedingAMissingLibrary("hello")));

        VmRunResult result = await Boot(image, "/app");

        Kernel.Line(result, "^Error: /app: library libosvstub\\.so\\.1 not found, needed by /app$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 1);
    }
}
