using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// The in-kernel test suites of the test image (--test=all): threads and the scheduler, synchronization,
/// timers, RCU, lazy stacks, libc and libcs (their own tests: LibcTests, LibcsTests); and the thread benchmark.
/// </summary>
public sealed class ThreadTests
{
    private static readonly (string Suite, string Test)[] ExpectedTests =
    {
        ("threads", "a thousand threads created and joined, nothing leaked"),
        ("threads", "four thousand threads alive at once, then joined"),
        ("threads", "pinning: a thread moves to every CPU in turn and runs there"),
        ("threads", "load balancing: busy threads spread over every CPU"),
        ("threads", "wake-ups across CPUs: a thousand semaphore hand-offs"),
        ("threads", "each thread keeps its own %fs block across switches and migrations"),
        ("threads", "sleep lasts at least as long as asked"),
        ("threads", "a sleeping thread gives the CPU away"),
        ("threads", "preemption: two threads that never yield both run"),
        ("threads", "detached threads free themselves"),
        ("sync", "mutex: eight threads, a thousand critical sections each, never two inside"),
        ("sync", "condition variable: a thousand ping-pong rounds"),
        ("sync", "semaphore: at most three of eight threads inside at once"),
        ("sync", "reader-writer lock: readers share, a writer is alone"),
        ("timers", "ten thousand timers fire in deadline order; cancelled ones never do"),
        ("timers", "periodic timers fire on the CPU that armed them, on every CPU"),
        ("timers", "sleeps end after their time, never before"),
        ("rcu", "synchronize waits for a reader that started before it"),
        ("rcu", "readers never see a version freed by a deferred callback"),
        ("syscalls", "registers, SSE state and the red zone survive a syscall"),
        ("syscalls", "getpid, gettid, uname"),
        ("syscalls", "clock_gettime: monotonic follows the TSC, realtime is after 2020"),
        ("syscalls", "nanosleep sleeps; bad arguments give EINVAL and EFAULT"),
        ("syscalls", "write to standard output; EBADF and EFAULT"),
        ("syscalls", "an unknown system call returns -ENOSYS"),
        ("syscalls", "four threads migrating between CPUs keep their own syscall stacks"),
        ("syscalls", "mmap: anonymous memory appears on first touch, munmap and mprotect are honoured"),
        ("syscalls", "brk grows and shrinks the heap; madvise(DONTNEED) zeroes"),
        ("syscalls", "arch_prctl sets and reads the thread pointer"),
        ("syscalls", "munmap flushes the TLBs of other CPUs before the page is reused"),
        ("syscalls", "futex: EAGAIN, ETIMEDOUT (relative and absolute), EINVAL, EFAULT, a wake reaches a waiter"),
        ("syscalls", "prlimit64 and getrlimit: stack 8 MiB, files 1024, others infinity; EINVAL, ESRCH, EFAULT"),
        ("syscalls", "getrandom, sched_getaffinity, gettimeofday, time: values and EINVAL/EFAULT"),
        ("syscalls", "clone refuses fork and odd flags; signal calls check their arguments"),
        ("syscalls", "mremap shrinks, grows in place and moves anonymous memory with its contents"),
        ("stacks", "a lazy stack maps pages on first touch and gives them back"),
        ("stacks", "200 threads with 1 MiB lazy stacks cost far less than 200 MiB"),
        ("stacks", "the run-time stack-rule check ran at every disable"),
    };

    private static readonly (string Suite, string Test)[] EverySuite =
        ExpectedTests.Concat(LibcTests.ExpectedTests.Select(test => ("libc", test)))
            .Concat(LibcsTests.ExpectedTests.Select(test => ("libcs", test)))
            .Concat(FileSystemTests.ExpectedVfsTests.Select(test => ("vfs", test))).ToArray();

    private readonly ITestOutputHelper _output;

    public ThreadTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1, "256M")]
    [InlineData(4, "256M")] // four thousand threads alive at once take about 150 MB of stacks
    public async Task EverySuitePassesRepeatedly(int cpus, string memory)
    {
        // Three boots side by side: timing-dependent failures (preemption, sleep) show up under load.
        var runs = new Task<VmRunResult>[3];
        for (int i = 0; i < runs.Length; i++)
            runs[i] = Kernel.BootAsync(_output, "--test=all", "q35", memory, cpus, testImage: true);
        foreach (VmRunResult result in await Task.WhenAll(runs))
        {
            foreach ((string suite, string test) in EverySuite)
                Kernel.Line(result, $"^test {suite}: {Regex.Escape(test)}: ok$");
            Assert.Empty(Kernel.LinesMatching(result, "FAILED"));
            Kernel.Line(result, $"^tests: {EverySuite.Length} passed, 0 failed$");
            Kernel.ExitedWith(result, 0);
        }
    }

    [Fact]
    public async Task ASuiteCanRunAlone()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=sync", cpus: 2, testImage: true);

        string[] sync = ExpectedTests.Where(t => t.Suite == "sync").Select(t => t.Test).ToArray();
        foreach (string test in sync)
            Kernel.Line(result, $"^test sync: {Regex.Escape(test)}: ok$");
        Assert.Empty(Kernel.LinesMatching(result, "^test (threads|stacks|timers|rcu|syscalls|libc|libcs): "));
        Kernel.Line(result, $"^tests: {sync.Length} passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task UnderVirtualTimeSleepsWakeWithinMicroseconds()
    {
        // -icount makes time a function of executed instructions: what remains of a sleep's lateness
        // is the kernel's own path from the timer interrupt to the woken thread, not host noise.
        VmRunResult result = await Kernel.BootAsync(_output, "--test=timers", cpus: 2, testImage: true, instructionCountShift: 0);

        var lateness = Kernel.Line(result, @"^test timers: sleep lateness, worst of 12: (\d+) us$");
        Assert.InRange(int.Parse(lateness.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0, 50);
        Kernel.Line(result, "^tests: 3 passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task TheDefaultImageHasNoTestSuites()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=threads");

        Kernel.Line(result, @"^Error: --test, --selftest and --bench exist only in the test image: \./osv build --tests");
        Kernel.ExitedWith(result, 2);
    }

    [Fact]
    public async Task TheThreadBenchmarkReportsEveryMeasurement()
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--bench=threads", testImage: true);

        VmRunResult twoCpus = await Kernel.BootAsync(_output, "--bench=threads", cpus: 2, testImage: true);
        Kernel.Line(twoCpus, @"^bench threads: wake-up hand-off \(different CPUs\): (\d+) ns/op \((\d+) ops\)$");
        Kernel.Line(result, @"^bench threads: wake-up hand-off \(different CPUs\): skipped, one CPU$");
        foreach (string name in new[] { "create+join", "context switch (same CPU)", "mutex lock+unlock, uncontended", "mutex lock+unlock, two threads contending" })
        {
            var line = Kernel.Line(result, $@"^bench threads: {Regex.Escape(name)}: (\d+) ns/op \((\d+) ops\)$");
            Assert.True(long.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
        Kernel.ExitedWith(result, 0);
    }
}
