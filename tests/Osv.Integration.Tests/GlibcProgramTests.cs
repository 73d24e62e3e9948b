using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// tests/apps programs built every way the applications issue asks — glibc PIE, Debian's hardened
/// PIE, glibc static PIE, musl static PIE — through the C# C library's POSIX, stdio, malloc, pthread,
/// memory and time functions (or, for the static ones, the system calls): files on /tmp and the rofs
/// root with errno checks, malloc stress from 4 threads, mutex/condvar counting, mmap.
/// </summary>
public sealed class GlibcProgramTests
{
    private readonly ITestOutputHelper _output;

    public GlibcProgramTests(ITestOutputHelper output) => _output = output;

    private static string Build(string variant, string program) => variant switch
    {
        "pie" => TestApps.GlibcPie(program),
        "hardened" => TestApps.GlibcHardenedPie(program),
        "static-pie" => TestApps.GlibcStaticPie(program),
        "so" => TestApps.GlibcSharedObject(program),
        _ => TestApps.StaticPieWithMusl(program),
    };

    private Task<VmRunResult> Run(string variant, string program, string commandLine, int cpus = 1)
    {
        string image = ApplicationTests.Image("programs-" + program + "-" + variant, ("/" + program, Build(variant, program)));
        return Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    [InlineData("static-pie")]
    [InlineData("musl")]
    public async Task FilesThroughTheCLibraryOnRamfsAndRofsWithErrno(string variant)
    {
        VmRunResult result = await Run(variant, "files", "/files");

        Kernel.Line(result, "^mkdir again: -1 errno 17$");
        Kernel.Line(result, "^close closed: -1 errno 9$");
        Kernel.Line(result, "^stat missing: -1 errno 2$");
        Kernel.Line(result, "^open under a file: -1 errno 20$");
        Kernel.Line(result, "^opendir/readdir: ok$");
        Kernel.Line(result, "^readlink: ok$");
        Kernel.Line(result, "^fseek: ok$");
        Kernel.Line(result, "^read self: ok$");
        Kernel.Line(result, "^rofs errno EROFS$");
        Kernel.Line(result, "^files done, 0 failures$");
        Assert.Empty(Kernel.LinesMatching(result, "FAILED"));
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie", 1)]
    [InlineData("pie", 4)]
    [InlineData("hardened", 4)]
    [InlineData("musl", 1)] // musl's own malloc on brk/mmap/munmap/madvise/mremap from 4 threads: it caught
    [InlineData("musl", 4)] // an unmap that freed pages a concurrent fault had just mapped
    public async Task MallocStressFromFourThreadsKeepsContentsAndChecksum(string variant, int cpus)
    {
        VmRunResult result = await Run(variant, "malloc", "/malloc", cpus);

        // The checksum is the one the same program prints on Linux (deterministic sizes per thread).
        Kernel.Line(result, "^malloc: 4 threads x 20000 rounds, checksum 34976132, errors 0$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie", 1)]
    [InlineData("pie", 4)]
    [InlineData("hardened", 4)]
    [InlineData("so", 4)]
    public async Task FourThreadsCountUnderAMutexBehindACondition(string variant, int cpus)
    {
        VmRunResult result = await Run(variant, "threads", "/threads", cpus);

        for (int i = 0; i < 4; i++)
            Kernel.Line(result, $"^thread {i} returned {i * 10 + 1}$");
        Kernel.Line(result, "^counter 40000 \\(expected 40000\\)$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("hardened")]
    public async Task MmapMprotectMremapAndFileMappingsThroughLibc(string variant)
    {
        VmRunResult result = await Run(variant, "mmap", "/mmap /mmap");

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
    [InlineData(4)]
    public async Task ClocksThroughLibc(int cpus)
    {
        VmRunResult result = await Run("pie", "clocks", "/clocks", cpus);

        Kernel.Line(result, "^nanosleep 0, slept at least 20 ms: yes$");
        Kernel.Line(result, "^realtime after 2020: yes, gettimeofday agrees: yes$");
        Kernel.Line(result, "^time\\(\\) agrees: yes$");
        Kernel.Line(result, "^clock_nanosleep absolute 0, reached: yes$");
        Kernel.Line(result, $"^cpus {cpus}, sysconf agrees: yes$");
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task AGlibcStaticPieRunsThroughTheSystemCalls()
    {
        VmRunResult result = await Run("static-pie", "hello", "--env=EXIT_STATUS=4 /hello first \"second word\"");

        Kernel.Line(result, "^Hello from /hello: 2 arguments$");
        Kernel.Line(result, "^integers -42 1234567890123 4000000000, doubles 3\\.142 0\\.5 6\\.020000e\\+23$");
        Kernel.ExitedWith(result, 4);
    }

    [Fact]
    public async Task AFixedAddressGlibcStaticExecutableIsRefusedByName()
    {
        string image = ApplicationTests.Image("programs-hello-static", ("/hello", TestApps.GlibcStatic("hello")));

        VmRunResult result = await Kernel.BootAsync(_output, "/hello", cpus: 1, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^Error: /hello: a fixed-address executable: build it as a PIE \\(-pie or -static-pie\\)$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
    }
}
