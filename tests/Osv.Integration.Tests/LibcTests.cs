using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>`--test=libc` in the test image: musl's leaf code called from C#, and the image's own .dynsym read at run time.</summary>
public sealed class LibcTests
{
    public static readonly string[] ExpectedTests =
    {
        "strlen and memcmp",
        "strtod and strtol (with ERANGE in errno)",
        "vsnprintf with a va_list built in C#: %d %s %.3f %g %e",
        "qsort with an [UnmanagedCallersOnly] comparator",
        "sin, pow, sqrt",
        "strerror and MB_CUR_MAX read musl's locale through %fs",
        "the image's .dynsym exports musl's functions, each in its library's version",
    };

    private readonly ITestOutputHelper _output;

    public LibcTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task MuslComputesInTheKernelAndTheImageExportsIt(int cpus)
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=libc", cpus: cpus, testImage: true);

        foreach (string test in ExpectedTests)
            Kernel.Line(result, $"^test libc: {Regex.Escape(test)}: ok$");
        Kernel.Line(result, $"^tests: {ExpectedTests.Length} passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }
}
