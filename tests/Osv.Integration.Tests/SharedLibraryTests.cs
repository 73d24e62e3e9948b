using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// DT_NEEDED libraries read from the disk: found through RUNPATH, placed, relocated after the executable,
/// their constructors before main and destructors after it, their TLS in the static block.
/// </summary>
public sealed class SharedLibraryTests
{
    private readonly ITestOutputHelper _output;

    public SharedLibraryTests(ITestOutputHelper output) => _output = output;

    private Task<VmRunResult> Boot(string image, string commandLine, int cpus = 1) =>
        Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AGlibcPieRunsWithALibraryFromTheDisk(int cpus)
    {
        string image = ApplicationTests.Image("withlib",
            ("/withlib", TestApps.GlibcPieWithLibrary("withlib", "greet")), ("/lib/libgreet.so", TestApps.GlibcLibrary("greet")));

        VmRunResult result = await Boot(image, "/withlib", cpus);

        Kernel.Line(result, "^libgreet: constructor before main$", out int constructor);
        Kernel.Line(result, "^main: start$", out int start);
        Kernel.Line(result, "^libgreet: destructor after main \\(2 greetings\\)$", out int destructor);
        Kernel.Line(result, "^Hello, world, from libgreet \\(call 41\\)$");
        Kernel.Line(result, "^Hello, again, from libgreet \\(call 42\\)$");
        Kernel.Line(result, "^main: greet_count 2$");
        Assert.True(constructor < start && start < destructor, "constructor, main, destructor in that order");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 0);
    }

    [Fact]
    public async Task AMissingLibraryIsNamedWithTheObjectThatNeedsIt()
    {
        string image = ApplicationTests.Image("withlib-missing", ("/withlib", TestApps.GlibcPieWithLibrary("withlib", "greet")));

        VmRunResult result = await Boot(image, "/withlib");

        Kernel.Line(result, "^Error: /withlib: library libgreet.so not found, needed by /withlib$");
        Kernel.ExitedWith(result, 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DlopenLoadsALibraryInitializesItAndDlsymFindsItsSymbolsWhileOtherThreadsWalkTheObjects(int cpus)
    {
        string image = ApplicationTests.Image("dl", ("/dl", TestApps.GlibcPie("dl")), ("/lib/libgreet.so", TestApps.GlibcLibrary("greet")));

        VmRunResult result = await Boot(image, "/dl", cpus);

        Kernel.Line(result, "^main: before dlopen$", out int before);
        Kernel.Line(result, "^libgreet: constructor before main$", out int constructor);
        Assert.True(before < constructor, "the constructor runs in dlopen");
        Kernel.Line(result, "^Hello, dlopen, from libgreet \\(call 41\\)$");
        Kernel.Line(result, "^main: greet_count 1$");
        Kernel.Line(result, "^dlsym missing: undefined symbol: no_such_function$");
        Kernel.Line(result, "^dlerror again: null$");
        Kernel.Line(result, "^dlopen missing: /lib/libmissing.so: cannot open shared object file: No such file or directory$");
        Kernel.Line(result, "^dlclose: 0$");
        Kernel.Line(result, "^dl_iterate_phdr beside dlopen: objects 2\\.\\.3, 0 damaged$"); // the executable and the kernel, then libgreet too
        Kernel.Line(result, "^libgreet: destructor after main \\(1 greetings\\)$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ALibrarysCallToAFunctionADlopenBroughtLaterIsBoundAtTheCallWithItsArguments(int cpus)
    {
        // liblazycall.so calls lazy_mix and lazy_format, which no object defines at start-up; liblazymix.so, dlopen'd
        // with RTLD_GLOBAL before the first call, does. The first call of each goes through PLT0 and the kernel's
        // resolver (six integers and a double; a variadic call with al = 2 and two doubles), the second straight to it.
        string image = ApplicationTests.Image("lazy", ("/lazy", TestApps.GlibcPieWithLibrary("lazy", "lazycall", "-Wl,--allow-shlib-undefined")),
            ("/lib/liblazycall.so", TestApps.GlibcLibrary("lazycall")), ("/lib/liblazymix.so", TestApps.GlibcLibrary("lazymix")),
            ("/lib/libneedsfry.so", TestApps.GlibcLibrary("needsfry")));

        VmRunResult result = await Boot(image, "/lazy", cpus);

        Kernel.Line(result, "^lazy: RTLD_NOW of libneedsfry: .*symbol strfry .*not found, needed by /lib/libneedsfry\\.so$");
        Kernel.Line(result, "^lazy: RTLD_LAZY of libneedsfry: loaded$");
        Kernel.Line(result, "^lazy: before dlopen$");
        Kernel.Line(result, "^lazy_format: format 1 args 1\\.25 2\\.500 x$");
        Kernel.Line(result, "^lazy_mix\\(1, 2, 3, 4, 5, 6, 0\\.50\\)$");
        Kernel.Line(result, "^lazy: first call 91\\.50$");
        Kernel.Line(result, "^lazy_format: format 2 args 2\\.50 2\\.500 x$");
        Kernel.Line(result, "^lazy_mix\\(2, 2, 3, 4, 5, 6, 0\\.50\\)$");
        Kernel.Line(result, "^lazy: second call 92\\.50$");
        Assert.Empty(Kernel.LinesMatching(result, "symbol lookup error|PANIC"));
        Kernel.ExitedWith(result, 0);
    }
}
