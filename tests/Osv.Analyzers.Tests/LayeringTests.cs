using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Osv.Analyzers.Rules;
using Xunit;
using Verify = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.LayeringAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>Rule 5 for kernel assemblies (OSV5001): each uses only the layers below it.</summary>
public sealed class LayeringTests
{
    private const string Arch = """
        namespace Osv.Arch.X64
        {
            public static class Cpu { public static void Pause() { } }
        }
        """;

    private const string Net = """
        namespace Osv.Net
        {
            public sealed class Tcp
            {
                public static Tcp Open() => new Tcp();
                public int Send(int bytes) => bytes;
                public static int Mtu = 1500;
            }
            public static class TcpExtensions { public static int Close(this int socket) => 0; }
        }
        """;

    private const string Vfs = """
        namespace Osv.Vfs
        {
            public static class Mounts { public static int Count() => 0; }
        }
        """;

    private static CSharpAnalyzerTest<LayeringAnalyzer, DefaultVerifier> Layer(string assemblyName, string source, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(source, expected);
        test.NameAssembly(assemblyName);
        return test;
    }

    [Fact]
    public Task UsingLowerLayersIsClean()
    {
        var test = Layer("Osv.Core", """
            using Osv.Annotations;
            static class Scheduler
            {
                [KernelThreadOnly]
                static void Idle() { Osv.Arch.X64.Cpu.Pause(); }
            }
            """);
        test.AddAssembly("Osv.Arch.X64", Arch);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task UsingAHigherLayerIsReportedOnEveryLineThatUsesIt()
    {
        var test = Layer("Osv.Core", """
            using Osv.Net;
            static class Scheduler
            {
                static int M()
                {
                    int local = 0;
                    {|#0:Tcp|} socket = Tcp.Open();
                    {|#1:var|} again = socket;
                    local += socket.{|#2:Send|}(4);
                    return local + Osv.Net.{|#3:Tcp|}.Mtu;
                }
            }
            """,
            Verify.Diagnostic("OSV5001").WithLocation(0).WithArguments("Osv.Core", 2, "Osv.Net", 4, ": 'Osv.Net.Tcp'"),
            Verify.Diagnostic("OSV5001").WithLocation(1),
            Verify.Diagnostic("OSV5001").WithLocation(2).WithArguments("Osv.Core", 2, "Osv.Net", 4, ": 'Osv.Net.Tcp.Send(int)'"),
            Verify.Diagnostic("OSV5001").WithLocation(3));
        test.AddAssembly("Osv.Net", Net);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task TypeArgumentsExtensionsAliasesAndUsingStaticCount()
    {
        var test = Layer("Osv.Drivers", """
            using System.Collections.Generic;
            using {|#0:Socket|} = Osv.Net.{|#1:Tcp|};
            using static Osv.Net.{|#2:TcpExtensions|};
            static class Nic
            {
                static List<{|#3:Socket|}> s_open = new List<{|#4:Socket|}>();
                static int M(int fd) => fd.{|#5:Close|}();
            }
            """,
            Verify.Diagnostic("OSV5001").WithLocation(1),
            Verify.Diagnostic("OSV5001").WithLocation(2),
            Verify.Diagnostic("OSV5001").WithLocation(3),
            Verify.Diagnostic("OSV5001").WithLocation(5));
        test.AddAssembly("Osv.Net", Net);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SiblingsMayNotUseEachOther()
    {
        var test = Layer("Osv.Drivers", """
            static class Block
            {
                static int Mounted() => Osv.Vfs.{|OSV5001:Mounts|}.Count();
            }
            """);
        test.AddAssembly("Osv.Vfs", Vfs);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task ArchitecturesAreSiblings()
    {
        var test = Layer("Osv.Arch.Arm64", """
            static class Gic
            {
                static void M() => Osv.Arch.X64.{|OSV5001:Cpu|}.Pause();
            }
            """);
        test.AddAssembly("Osv.Arch.X64", Arch);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task AReferenceNoSourceUsesIsReportedWithoutLocation()
    {
        var test = Layer("Osv.Core", "static class Empty { }",
            new DiagnosticResult("OSV5001", DiagnosticSeverity.Error)
                .WithArguments("Osv.Core", 2, "Osv.Net", 4, " (a reference no source uses: remove it)"));
        test.AddAssembly("Osv.Net", Net);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task TheRuntimeMayNotUseTheCore()
    {
        var test = Layer("Osv.Runtime", """
            namespace Osv.Annotations
            {
                static class Stack2 { static void M() => Osv.Core.{|OSV5001:Memory|}.Touch(); }
            }
            """);
        test.AddAssembly("Osv.Core", "namespace Osv.Core { public static class Memory { public static void Touch() { } } }");
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task TheKernelMayUseEveryLayer()
    {
        var test = Layer("Osv.Kernel", """
            static class KernelMain
            {
                static int M() { Osv.Arch.X64.Cpu.Pause(); return Osv.Net.Tcp.Mtu + Osv.Vfs.Mounts.Count(); }
            }
            """);
        test.AddAssembly("Osv.Arch.X64", Arch);
        test.AddAssembly("Osv.Net", Net);
        test.AddAssembly("Osv.Vfs", Vfs);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task AssembliesOutsideTheOrderAreNotChecked()
    {
        var test = Layer("Osv.Core.Tests", "static class T { static int M() => Osv.Net.Tcp.Mtu; }");
        test.AddAssembly("Osv.Net", Net);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public void TheTableFollowsTheArchitecture()
    {
        Assert.True(Layers.Rank["Osv.Runtime"] < Layers.Rank["Osv.Arch.X64"]);
        Assert.Equal(Layers.Rank["Osv.Arch.X64"], Layers.Rank["Osv.Arch.Arm64"]);
        Assert.True(Layers.Rank["Osv.Arch.Arm64"] < Layers.Rank["Osv.Core"]);
        Assert.True(Layers.Rank["Osv.Core"] < Layers.Rank["Osv.Drivers"]);
        Assert.Equal(Layers.Rank["Osv.Drivers"], Layers.Rank["Osv.Vfs"]);
        Assert.True(Layers.Rank["Osv.Vfs"] < Layers.Rank["Osv.Net"]);
        Assert.Equal(Layers.Rank["Osv.Net"], Layers.Rank["Osv.Zfs"]);
        Assert.True(Layers.Rank["Osv.Zfs"] < Layers.Rank["Osv.Kernel"]);
        Assert.False(Layers.Rank.ContainsKey("Osv.Analyzers"));
    }
}
