using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// The dynamic linker's second part: thread-local storage in glibc-built programs (the executable's
/// local-exec block right below the thread pointer, __tls_get_addr for -fPIC code), on several CPUs.
/// </summary>
public sealed class DynamicLinkingTests
{
    private readonly ITestOutputHelper _output;

    public DynamicLinkingTests(ITestOutputHelper output) => _output = output;

    private Task<VmRunResult> Boot(string image, string commandLine, int cpus = 1) =>
        Kernel.BootAsync(_output, commandLine, cpus: cpus, disks: new[] { new DiskAttachment(image) });

    private static void TlsLines(VmRunResult result)
    {
        for (int worker = 0; worker < 4; worker++)
            Kernel.Line(result, "^worker" + worker + ": counter 101000, label 'label of " + worker + "', ok$");
        Kernel.Line(result, "^main: counter 7, label 'main's label'$");
        Kernel.Line(result, "^tls passed$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task ThreadLocalVariablesOfAGlibcPieArePerThreadAndInitialized(int cpus)
    {
        string image = ApplicationTests.Image("tls-glibc", ("/tls", TestApps.GlibcPie("tls")));

        TlsLines(await Boot(image, "/tls", cpus));
    }

    [Fact]
    public async Task ThreadLocalVariablesOfASharedObjectGoThroughTlsGetAddr()
    {
        string image = ApplicationTests.Image("tls-glibc-so", ("/tls.so", TestApps.GlibcSharedObject("tls")));

        TlsLines(await Boot(image, "/tls.so", cpus: 4));
    }
}
