using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// Signals and threads (tests/apps/sigthreads.c) as a glibc PIE, whose threads the kernel's C library
/// starts (pthread_create, pthread_kill, pthread_sigmask are C#), and as a musl static PIE, whose
/// threads are clone'd and whose calls are system calls (tgkill, rt_sigprocmask, rt_sigsuspend): a
/// signal sent to one thread waits for that thread's mask and runs there; a fault handler that makes
/// the page writable and returns resumes the store with rcx, r11 and xmm7 intact, on the main thread
/// and on a second one; sigsuspend sleeps until another thread sends the signal.
/// </summary>
public sealed class SignalThreadTests
{
    private readonly ITestOutputHelper _output;

    public SignalThreadTests(ITestOutputHelper output) => _output = output;

    private Task<VmRunResult> Run(string variant, string mode, int cpus)
    {
        string program = variant == "pie" ? TestApps.GlibcPie("sigthreads") : TestApps.StaticPieWithMusl("sigthreads");
        string image = ApplicationTests.Image("sigthreads-" + variant, ("/sigthreads", program));
        return Kernel.BootAsync(_output, "/sigthreads " + mode, cpus: cpus, disks: new[] { new DiskAttachment(image) });
    }

    [Theory]
    [InlineData("pie", 1)]
    [InlineData("pie", 2)]
    [InlineData("musl", 1)]
    [InlineData("musl", 2)]
    public async Task PthreadKillWaitsForTheTargetsMaskAndRunsTheHandlerOnThatThread(string variant, int cpus)
    {
        VmRunResult result = await Run(variant, "threads", cpus);

        Kernel.Line(result, "^main: SIGUSR1 blocked here 0 \\(the worker's mask is its own\\)$");
        Kernel.Line(result, "^main: pthread_kill returned 0, handler ran 0 time\\(s\\), SIGUSR1 pending here 0$");
        Kernel.Line(result, "^worker while blocked: handler ran 0 time\\(s\\), SIGUSR1 pending here 1$");
        Kernel.Line(result, "^worker after unblocking: handler ran 1 time\\(s\\), on this thread yes, pthread_self matches$");
        Kernel.Line(result, "^worker raise: handler ran 2 time\\(s\\), signal 12, on this thread yes$");
        Kernel.Line(result, "^main: the worker was thread apart, the handler never ran on main yes$");
        Kernel.Line(result, "^pthread_kill after join: self ok$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC|Warning"));
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie", 1)]
    [InlineData("pie", 2)]
    [InlineData("musl", 1)]
    [InlineData("musl", 2)]
    public async Task AFaultHandlerThatFixesThePageResumesTheStoreWithEveryRegister(string variant, int cpus)
    {
        VmRunResult result = await Run(variant, "fault", cpus);

        Kernel.Line(result, "^main fault: handler ran 1 time\\(s\\) on the faulting thread yes, store 42, xmm7 4.50, rcx kept, r11 kept$");
        Kernel.Line(result, "^main frame: rcx saved, r11 saved, fpregs xmm7 2.25$");
        Kernel.Line(result, "^worker fault: handler ran 2 time\\(s\\) on the faulting thread yes, store 42, xmm7 4.50, rcx kept, r11 kept$");
        Kernel.Line(result, "^worker frame: rcx saved, r11 saved, fpregs xmm7 2.25$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC|terminated by signal"));
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie", 1)]
    [InlineData("musl", 1)]
    [InlineData("musl", 2)]
    public async Task SigsuspendSleepsUntilAnotherThreadSendsTheSignal(string variant, int cpus)
    {
        VmRunResult result = await Run(variant, "suspend", cpus);

        Kernel.Line(result, "^sigsuspend woken by another thread: returned -1 errno 4, after the send yes, handler ran 1 time\\(s\\) on main yes, SIGUSR1 blocked again 1$");
        Kernel.ExitedWith(result, 0);
    }
}
