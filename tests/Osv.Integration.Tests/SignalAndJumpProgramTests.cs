using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// Signals and the setjmp family as glibc programs reach them through the kernel's C library
/// (tests/apps/jumps.c, signals.c as glibc PIEs, hardened PIEs — where gcc calls __longjmp_chk — and,
/// for jumps.c, a musl static PIE with its own setjmp over the system calls, the reference).
/// signals.c's musl run is in <see cref="SystemCallApplicationTests"/>; the lines here are the same, plus
/// sigpending's.
/// </summary>
public sealed class SignalAndJumpProgramTests
{
    private readonly ITestOutputHelper _output;

    public SignalAndJumpProgramTests(ITestOutputHelper output) => _output = output;

    private static string Build(string variant, string program) => variant switch
    {
        "pie" => TestApps.GlibcPie(program),
        "hardened" => TestApps.GlibcHardenedPie(program),
        _ => TestApps.StaticPieWithMusl(program),
    };

    private Task<VmRunResult> Run(string variant, string program, string commandLine, int cpus = 1)
    {
        string image = ApplicationTests.Image("jumps-" + program + "-" + variant, ("/" + program, Build(variant, program)));
        return Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    [InlineData("musl")]
    public async Task LongjmpLeavesNestedCallsAndSignalHandlersWithTheSavedMask(string variant)
    {
        VmRunResult result = await Run(variant, "jumps", "/jumps");

        Kernel.Line(result, "^nested: setjmp returned 42, depth 5, changed 8, kept 4$");
        Kernel.Line(result, "^longjmp 0: setjmp returned 1 after 2 attempts$");
        Kernel.Line(result, "^sigsetjmp 1: SIGUSR1 blocked after the jump 0$");
        Kernel.Line(result, "^sigsetjmp 0: SIGUSR1 blocked after the jump 1$");
        Kernel.Line(result, "^handler jump 1: sigsetjmp returned 12, handler runs 1, SIGUSR2 blocked 0$");
        Kernel.Line(result, "^handler jump 2: sigsetjmp returned 12, handler runs 2, SIGUSR2 blocked 0$");
        Kernel.Line(result, "^alternate stack jump: sigsetjmp returned 10, handler runs 3$");
        Kernel.Line(result, "^protected calls: inner 6, outer 106, quiet 0, chain unwound yes$");
        Assert.Empty(Kernel.LinesMatching(result, "not expected"));
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task FortifiedLongjmpIntoAReturnedFrameAborts()
    {
        VmRunResult result = await Run("hardened", "jumps", "/jumps stale");

        Kernel.Line(result, "^jumping into a returned frame$");
        Kernel.Line(result, "^\\*\\*\\* longjmp causes uninitialized stack frame \\*\\*\\*: terminated$");
        Kernel.Line(result, "^/jumps: terminated by signal 6 \\(status 134\\)$");
        Assert.Empty(Kernel.LinesMatching(result, "resumed a frame"));
        Kernel.ExitedWith(result, 134);
    }

    [Theory]
    [InlineData("pie", 1)]
    [InlineData("pie", 4)]
    [InlineData("hardened", 1)]
    public async Task SignalHandlersRunForRaiseAndKillAndTheMaskDefersThem(string variant, int cpus)
    {
        VmRunResult result = await Run(variant, "signals", "/signals", cpus);

        Kernel.Line(result, "^raise: handler ran 1 time\\(s\\), signal 10$");
        Kernel.Line(result, "^kill: handler ran 2 time\\(s\\)$");
        Kernel.Line(result, "^blocked: handler ran 2 time\\(s\\)$");
        Kernel.Line(result, "^pending while blocked: SIGUSR1 1, SIGUSR2 0$");
        Kernel.Line(result, "^unblocked: handler ran 3 time\\(s\\)$");
        Kernel.Line(result, "^handler writes from inside$");
        Kernel.Line(result, "^siginfo: si_signo 12$");
        Kernel.Line(result, "^ignored: handler ran 3 time\\(s\\)$");
        Kernel.Line(result, "^sigsuspend: returned -1 errno 4, handler ran 4 time\\(s\\), SIGUSR1 blocked again 1$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    public async Task AbortEndsTheProgramBySignal6(string variant)
    {
        VmRunResult result = await Run(variant, "signals", "/signals abort");

        Kernel.Line(result, "^ignored: handler ran 3 time\\(s\\)$");
        Kernel.Line(result, "^/signals: terminated by signal 6 \\(status 134\\)$");
        Kernel.ExitedWith(result, 134);
    }
}
