using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Osv.Analyzers.Rules;
using Xunit;
using Verify = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.LayeringAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>
/// Rule 5 for modules (OSV5002): an assembly marked <c>[assembly: OsvModule]</c> or with
/// <c>build_property.OsvModule = true</c> uses only the module API and the libc ABI.
/// </summary>
public sealed class LayeringModuleTests
{
    private const string ModuleApi = "/0/exported_symbols/module_api.symbols";
    private const string Libc = "/0/exported_symbols/libc.so.6.symbols";

    private const string Core = """
        namespace Osv.Core
        {
            public static class BlockCache { public static int Read(int block) => block; }
        }
        """;

    private const string Vfs = """
        namespace Osv.Vfs
        {
            public static class Mounts { public static int Count() => 0; }
        }
        """;

    private static CSharpAnalyzerTest<LayeringAnalyzer, DefaultVerifier> Module(string source, bool withLists, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(source, expected);
        test.NameAssembly("Osv.Zfs");
        if (withLists)
        {
            test.TestState.AdditionalFiles.Add((ModuleApi, "# the C module API\nosv_register_filesystem\n"));
            test.TestState.AdditionalFiles.Add((Libc, "write\nmalloc\n"));
        }
        return test;
    }

    /// <summary>libsolaris.so as it should be: the module API, libc, and the annotations.</summary>
    [Fact]
    public Task ModuleApiAndLibcAreClean() => Module("""
        using System.Runtime.InteropServices;
        using Osv.Annotations;
        [assembly: OsvModule]
        static unsafe class Solaris
        {
            [DllImport("libosv", EntryPoint = "osv_register_filesystem")]
            static extern int Register(nint name, nint operations);

            [DllImport("libc.so.6")]
            static extern nint write(int fd, nint buffer, nint count);

            [KernelThreadOnly]
            static int Init() => Register(0, 0) + (int)write(1, 0, 0);
        }
        """, withLists: true).RunAsync(CancellationToken.None);

    [Fact]
    public Task UsingAKernelAssemblyIsReportedOnEveryLine()
    {
        var test = Module("""
            [assembly: Osv.Annotations.OsvModule]
            static class Arc
            {
                static int Fill(int block) => Osv.Core.{|#0:BlockCache|}.Read(block);
                static int Again(int block) => Osv.Core.{|#1:BlockCache|}.Read(block) + Osv.Core.BlockCache.Read(1);
            }
            """, withLists: true,
            Verify.Diagnostic("OSV5002").WithLocation(0).WithArguments("Osv.Zfs", "kernel assembly Osv.Core: 'Osv.Core.BlockCache'"),
            Verify.Diagnostic("OSV5002").WithLocation(1));
        test.AddAssembly("Osv.Core", Core);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task TheMsBuildPropertyMarksAModuleToo()
    {
        var test = Module("""
            static class Arc
            {
                static int Fill(int block) => Osv.Core.{|OSV5002:BlockCache|}.Read(block);
            }
            """, withLists: false);
        test.GlobalConfig("build_property.OsvModule = true");
        test.AddAssembly("Osv.Core", Core);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Osv.Zfs may use Osv.Vfs as a kernel layer, but not once it is a module.</summary>
    [Fact]
    public Task AModuleMayNotUseEvenLowerLayers()
    {
        var test = Module("""
            [assembly: Osv.Annotations.OsvModule]
            static class Zpl
            {
                static int M() => Osv.Vfs.{|OSV5002:Mounts|}.Count();
            }
            """, withLists: true);
        test.AddAssembly("Osv.Vfs", Vfs);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task TheSameCodeAsAKernelLayerIsClean()
    {
        var test = Module("static class Zpl { static int M() => Osv.Vfs.Mounts.Count(); }", withLists: true);
        test.AddAssembly("Osv.Vfs", Vfs);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task ImportingAnUnlistedFunctionIsReported() => Module("""
        using System.Runtime.InteropServices;
        [assembly: Osv.Annotations.OsvModule]
        static class Solaris
        {
            [DllImport("libosv", EntryPoint = "osv_internal_page_alloc")]
            static extern nint {|#0:AllocatePage|}();

            [DllImport("libc.so.6")]
            static extern nint {|#1:mmap|}(nint address, nint length, int protection, int flags, int fd, long offset);
        }
        """, withLists: true,
        Verify.Diagnostic("OSV5002").WithLocation(0).WithArguments("Osv.Zfs", "the C function 'osv_internal_page_alloc', which no export list advertises"),
        Verify.Diagnostic("OSV5002").WithLocation(1)).RunAsync(CancellationToken.None);

    [Fact]
    public Task ExternLocalFunctionsAreImportsToo() => Module("""
        using System.Runtime.InteropServices;
        [assembly: Osv.Annotations.OsvModule]
        static class Solaris
        {
            static nint Map()
            {
                return mmap(0, 4096) + write(1, 0, 0);

                [DllImport("libc.so.6")]
                static extern nint {|OSV5002:mmap|}(nint address, nint length);

                [DllImport("libc.so.6")]
                static extern nint write(int fd, nint buffer, nint count);
            }
        }
        """, withLists: true).RunAsync(CancellationToken.None);

    [Fact]
    public Task WithoutExportListsImportsAreNotChecked() => Module("""
        using System.Runtime.InteropServices;
        [assembly: Osv.Annotations.OsvModule]
        static class Solaris
        {
            [DllImport("libc.so.6")]
            static extern nint mmap(nint address, nint length, int protection, int flags, int fd, long offset);
        }
        """, withLists: false).RunAsync(CancellationToken.None);

    [Fact]
    public Task AnUnusedKernelReferenceIsReportedWithoutLocation()
    {
        var test = Module("[assembly: Osv.Annotations.OsvModule]", withLists: false,
            new DiagnosticResult("OSV5002", DiagnosticSeverity.Error)
                .WithArguments("Osv.Zfs", "kernel assembly Osv.Core (a reference no source uses: remove it)"));
        test.AddAssembly("Osv.Core", Core);
        return test.RunAsync(CancellationToken.None);
    }
}
