using System.Collections.Generic;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// glibc-shaped locale objects (src/Osv.Kernel/Libc/Locale): tests/apps/locales.c reads the fields of
/// struct __locale_struct and round-trips newlocale/uselocale/duplocale/freelocale; tests/apps/iostreams.cpp,
/// built as plain `g++ -O2`, runs on libstdc++.so.6 and libgcc_s.so.1 from the disk, whose "gnu" locale
/// model reads those fields and whose type_info objects the program takes by COPY relocation.
/// </summary>
public sealed class LocaleObjectTests
{
    private readonly ITestOutputHelper _output;

    public LocaleObjectTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task LocaleObjectsHaveGlibcsFieldsAndRoundTrip()
    {
        string image = ApplicationTests.Image("locale-objects", ("/locales", TestApps.GlibcPie("locales")));

        VmRunResult result = await Kernel.BootAsync(_output, "/locales", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^ok __ctype_b classifies 'a' as alpha$");
        Kernel.Line(result, "^ok __ctype_b classifies '1' as digit$");
        Kernel.Line(result, "^ok __ctype_b classifies ' ' as space$");
        Kernel.Line(result, "^ok __ctype_b agrees with isalpha/isdigit/isspace for every byte$");
        Kernel.Line(result, "^ok __ctype_toupper/__ctype_tolower map letters$");
        Kernel.Line(result, "^ok __names\\[LC_CTYPE\\] and __names\\[LC_NUMERIC\\] are \"C\"$");
        Kernel.Line(result, "^ok nl_langinfo_l\\(CODESET\\) of the C locale$");
        Kernel.Line(result, "^ok strtod_l$");
        Kernel.Line(result, "^ok strcoll_l orders$");
        Kernel.Line(result, "^ok toupper_l/tolower_l$");
        Kernel.Line(result, "^ok isalpha_l/isdigit_l/toupper_l called, not inlined$");
        Kernel.Line(result, "^ok uselocale\\(c\\) returns the global locale it replaces$");
        Kernel.Line(result, "^ok uselocale\\(0\\) returns what was set$");
        Kernel.Line(result, "^ok uselocale\\(copy\\) returns c$");
        Kernel.Line(result, "^ok uselocale\\(0\\) is the global locale again$");
        Kernel.Line(result, "^ok its __names\\[LC_CTYPE\\] is C.UTF-8$");
        Kernel.Line(result, "^ok duplocale\\(LC_GLOBAL_LOCALE\\) gives an object$");
        Assert.Empty(Kernel.LinesMatching(result, "^FAIL"));
        Kernel.Line(result, "^failures 0$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ACxxProgramRunsOnLibstdcxxFromTheDisk(int cpus)
    {
        if (!TestApps.HasCxxCompiler)
        {
            _output.WriteLine("no g++ on this machine: nothing to run");
            return;
        }
        string program = TestApps.GlibcCxxPieWithSharedRuntime("iostreams");
        var files = new List<(string, string)> { ("/iostreams", program) };
        List<string> libraries = DebianPrograms.LibrariesLddLists(program);
        Assert.Contains(libraries, library => library.EndsWith("/libstdc++.so.6"));
        foreach (string library in libraries)
            files.Add((library, library));
        string image = ApplicationTests.Image("iostreams-shared-runtime", files.ToArray());

        VmRunResult result = await Kernel.BootAsync(_output, "/iostreams", cpus: cpus, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^areas 14$");
        Kernel.Line(result, "^a=3 b=2 c=1 $");
        Kernel.Line(result, "^ints 5 fail 1$");
        Kernel.Line(result, "^caught: thrown through the runtime$");
        Kernel.Line(result, "^caught int 42$");
        Kernel.Line(result, "^threads sum 6000$");
        Kernel.Line(result, "^sorted 1359$");
        Kernel.Line(result, "^to_string 42/2.500000 stoi -122$");
        Kernel.Line(result, "^stoi refused$");
        Kernel.Line(result, "^formatted ff 3.141590$");
        Assert.Empty(Kernel.LinesMatching(result, "terminated by signal|symbol lookup error|PANIC"));
        Kernel.ExitedWith(result, 0);
    }
}
