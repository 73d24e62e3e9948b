using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>`--test=libcs` in the test image: the C library's C# malloc, errno and pthreads, called through the image's .dynsym.</summary>
public sealed class LibcsTests
{
    public static readonly string[] ExpectedTests =
    {
        "every function resolves through the image's .dynsym in version libc.so.6",
        "malloc from 4 threads: random sizes, contents intact, every block freed",
        "calloc overflow gives NULL and ENOMEM through __errno_location",
        "posix_memalign and aligned_alloc alignments, malloc_usable_size",
        "realloc keeps the data; strdup (musl) uses the kernel's malloc",
        "8 threads x 10000 increments under a statically initialized mutex",
        "recursive and error-checking mutexes (EDEADLK, EPERM, EBUSY)",
        "condition variable: producer and consumer over a bounded buffer",
        "pthread_cond_timedwait times out with ETIMEDOUT",
        "rwlock: readers share, writers exclude",
        "keys: values per thread, destructors at exit",
        "pthread_once runs its routine once among 6 threads",
        "barrier: 4 threads x 50 rounds, one serial thread per round",
        "join returns each thread's value; detached threads are freed",
        "errno is per thread across CPUs",
        "stack size honoured (pthread_getattr_np)",
    };

    private readonly ITestOutputHelper _output;

    public LibcsTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task MallocErrnoAndPthreadsWorkThroughTheExportedSymbols(int cpus)
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--test=libcs", cpus: cpus, testImage: true);

        foreach (string test in ExpectedTests)
            Kernel.Line(result, $"^test libcs: {Regex.Escape(test)}: ok$");
        Kernel.Line(result, $"^tests: {ExpectedTests.Length} passed, 0 failed$");
        Kernel.ExitedWith(result, 0);
    }
}
