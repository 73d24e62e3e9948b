using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// The dynamic linker's introspection from a real program: dladdr/dladdr1, dl_iterate_phdr, _dl_find_object and
/// dlinfo (tests/apps/dlinfo.c), and C++ exceptions, whose unwinder finds frames through _dl_find_object (throw.cpp).
/// </summary>
public sealed class LoadedObjectQueryTests
{
    private readonly ITestOutputHelper _output;

    public LoadedObjectQueryTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AProgramSeesItsObjectsSymbolsAndUnwindTables(int cpus)
    {
        string image = ApplicationTests.Image("dlinfo",
            ("/dlinfo", TestApps.GlibcPieWithLibrary("dlinfo", "greet", "-rdynamic")), ("/lib/libgreet.so", TestApps.GlibcLibrary("greet")));

        VmRunResult result = await Kernel.BootAsync(_output, "/dlinfo", cpus: cpus, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^ok: dladdr\\(main\\+1\\) = 1 fname /dlinfo sname main saddr==main 1$");
        Kernel.Line(result, "^ok: dladdr\\(greet\\+2\\) = 1 fname /lib/libgreet.so sname greet saddr==greet 1$");
        Kernel.Line(result, "^ok: dladdr\\(&greet_count\\) = 1 sname greet_count$");
        Kernel.Line(result, "^ok: dladdr\\(printf\\) = 1 fname libc.so.6 sname printf saddr==printf 1$");
        Kernel.Line(result, "^ok: dladdr\\(16\\) = 0$");
        Kernel.Line(result, "^ok: dl_iterate_phdr = 0, 3 objects: '' '/lib/libgreet.so' 'libc.so.6'$");
        Kernel.Line(result, "^ok: an executable PT_LOAD covers main: executable 1 library 0 kernel 0$");
        Kernel.Line(result, "^ok: a callback's non-zero stops the walk: result 7 after 2 calls$");
        Kernel.Line(result, "^ok: _dl_find_object\\(main\\) = 0, map covers main 1, eh_frame set \\(version 1\\), link map l_addr==base 1$");
        Kernel.Line(result, "^ok: _dl_find_object\\(16\\) = -1$");
        Kernel.Line(result, "^ok: dlinfo\\(dlopen\\(NULL\\), LINKMAP\\) = 0: '' -> '/lib/libgreet.so' -> 'libc.so.6' -> end$");
        Kernel.Line(result, "^dlinfo done, 0 failures$");
        Assert.Empty(Kernel.LinesMatching(result, "^FAIL"));
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ACxxExceptionUnwindsThroughFramesToItsCatch(int cpus)
    {
        if (!TestApps.HasCxxCompiler)
        {
            _output.WriteLine("no g++ on this machine: nothing to run");
            return;
        }
        string image = ApplicationTests.Image("throw", ("/throw", TestApps.GlibcCxxPie("throw")));

        VmRunResult result = await Kernel.BootAsync(_output, "/throw", cpus: cpus, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^caught 42, destructors 6$");
        Kernel.Line(result, "^rethrown caught, destructors 9$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 0);
    }
}
