using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// The system calls as unmodified musl programs use them (tests/apps, static PIEs from a rofs disk):
/// threads (clone, futex, TLS, exit_group with threads alive), clocks and identity, signals, mmap.
/// </summary>
public sealed class SystemCallApplicationTests
{
    private readonly ITestOutputHelper _output;

    public SystemCallApplicationTests(ITestOutputHelper output) => _output = output;

    private Task<VmRunResult> Run(string program, string commandLine, int cpus)
    {
        string image = ApplicationTests.Image("syscalls-" + program, ("/" + program, TestApps.StaticPieWithMusl(program)));
        return Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task FourThreadsCountUnderAMutexKeepTheirTlsAndReturnValues(int cpus)
    {
        VmRunResult result = await Run("pthreads", "/pthreads", cpus);

        for (int i = 0; i < 4; i++)
            Kernel.Line(result, $"^thread {i} returned {i * 10 + 1}$");
        Kernel.Line(result, "^counter 40000 \\(expected 40000\\)$");
        Kernel.Line(result, "^main's __thread value 7$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task ExitGroupEndsThreadsAsleepInFutexAndSpinningAndTheNextProgramRuns(int cpus)
    {
        VmRunResult result = await Run("pthreads", "/pthreads sleepers; /pthreads; /pthreads sleepers", cpus);

        Assert.Equal(2, Kernel.LinesMatching(result, "^exiting with threads alive$").Length);
        Kernel.Line(result, "^counter 40000 \\(expected 40000\\)$");
        Assert.Empty(Kernel.LinesMatching(result, "did not end"));
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task ClocksSleepsRandomnessIdentityAndLimits(int cpus)
    {
        VmRunResult result = await Run("clocks", "/clocks", cpus);

        Kernel.Line(result, "^nanosleep 0, slept at least 20 ms: yes$");
        Kernel.Line(result, "^realtime after 2020: yes, gettimeofday agrees: yes$");
        Kernel.Line(result, "^time\\(\\) agrees: yes$");
        Kernel.Line(result, "^clock_nanosleep absolute 0, reached: yes$");
        Kernel.Line(result, "^getrandom 32 32, differ: yes, nonzero: yes$");
        Kernel.Line(result, "^uid 0 euid 0 gid 0 egid 0 pid 1 ppid 0$");
        Kernel.Line(result, "^stack limit 8388608, files limit 1024$");
        Kernel.Line(result, $"^cpus {cpus}, sysconf agrees: yes$");
        Kernel.Line(result, "^uname Linux x86_64$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task SignalHandlersRunForRaiseAndKillAndTheMaskDefersThem(int cpus)
    {
        VmRunResult result = await Run("signals", "/signals", cpus);

        Kernel.Line(result, "^raise: handler ran 1 time\\(s\\), signal 10$");
        Kernel.Line(result, "^kill: handler ran 2 time\\(s\\)$");
        Kernel.Line(result, "^blocked: handler ran 2 time\\(s\\)$");
        Kernel.Line(result, "^unblocked: handler ran 3 time\\(s\\)$");
        Kernel.Line(result, "^handler writes from inside$");
        Kernel.Line(result, "^siginfo: si_signo 12$");
        Kernel.Line(result, "^ignored: handler ran 3 time\\(s\\)$");
        Kernel.Line(result, "^sigsuspend: returned -1 errno 4, handler ran 4 time\\(s\\), SIGUSR1 blocked again 1$"); // rt_sigsuspend
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task AbortEndsTheProgramWithStatus134()
    {
        VmRunResult result = await Run("signals", "/signals abort", 1);

        Kernel.Line(result, "^ignored: handler ran 3 time\\(s\\)$");
        Kernel.Line(result, "^/signals: terminated by signal 6 \\(status 134\\)$");
        Kernel.Line(result, "^Exit status: 134$"); // 134 does not fit QEMU's exit code: the VM reports 126 and says it here
        Kernel.ExitedWith(result, 134);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task AnonymousAndFileBackedMappings(int cpus)
    {
        VmRunResult result = await Run("mmap", "/mmap /mmap", cpus);

        Kernel.Line(result, "^anonymous: zeroed yes, sum 133693440$");
        Kernel.Line(result, "^mprotect read-only: 0$");
        Kernel.Line(result, "^mremap grow: ok, data kept: yes$");
        Kernel.Line(result, "^munmap: 0$");
        Kernel.Line(result, "^file: \\d+ bytes, ELF magic yes, same as read: yes$");
        Kernel.Line(result, "^offset mapping matches: yes$");
        Kernel.Line(result, "^shared writable file mapping refused: yes$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ExitStopsThreadsThatSpinWithoutSystemCalls(int cpus)
    {
        string image = ApplicationTests.Image("syscalls-spinner",
            ("/spinner", TestApps.StaticPieWithMusl("spinner")), ("/concurrent", TestApps.StaticPieWithMusl("concurrent")));
        VmRunResult result = await Kernel.BootAsync(_output, "/spinner 3 4; /concurrent c 1 0 6", cpus: cpus, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^3 threads spinning; exiting$", out int exitedAt);
        Kernel.Line(result, "^c: memory intact$", out int nextAt);
        Assert.True(nextAt > exitedAt);
        Assert.Empty(Kernel.LinesMatching(result, "did not end|PANIC")); // the runner did not have to give up on them
        Kernel.ExitedWith(result, 6);
    }
}
