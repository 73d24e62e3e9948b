using System;
using System.IO;
using System.Threading.Tasks;
using Osv.Cli.Images;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// Unmodified Linux programs, compiled here by gcc from tests/apps, loaded from a rofs disk and run by
/// the default image from its command line; and programs the kernel must refuse with a clear message.
/// </summary>
public sealed class ApplicationTests
{
    private readonly ITestOutputHelper _output;

    public ApplicationTests(ITestOutputHelper output) => _output = output;

    /// <summary>A usr.img holding the given files (guest path, host path).</summary>
    internal static string Image(string name, params (string Guest, string Host)[] files)
    {
        string directory = Path.Combine(Kernel.Layout.Root, "build", "test-apps", "images", name);
        Directory.CreateDirectory(directory);
        string manifest = Path.Combine(directory, "usr.manifest");
        using (var writer = new StreamWriter(manifest))
        {
            foreach ((string guest, string host) in files)
                writer.WriteLine($"{guest}: {host}");
        }
        string image = Path.Combine(directory, "usr.img");
        UsrImageBuilder.Build(manifest, image);
        return image;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AMuslStaticPieRunsWithItsArgumentsEnvironmentAndExitStatus(int cpus)
    {
        string image = Image("hello-musl", ("/hello", TestApps.StaticPieWithMusl("hello")));

        VmRunResult result = await Kernel.BootAsync(_output, "--env=EXIT_STATUS=7 /hello first \"second word\"", cpus: cpus, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^Hello from /hello: 2 arguments$");
        Kernel.Line(result, "^argv\\[1\\] = first$");
        Kernel.Line(result, "^argv\\[2\\] = second word$");
        Kernel.Line(result, "^integers -42 1234567890123 4000000000, doubles 3\\.142 0\\.5 6\\.020000e\\+23$");
        Kernel.ExitedWith(result, 7);
    }

    [Fact]
    public async Task ProgramsRunOneAfterAnother()
    {
        string image = Image("hello-twice", ("/hello", TestApps.StaticPieWithMusl("hello")));

        VmRunResult result = await Kernel.BootAsync(_output, "/hello a; /hello b c", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^Hello from /hello: 1 argument$");
        Kernel.Line(result, "^Hello from /hello: 2 arguments$");
        Kernel.ExitedWith(result, 0);
    }

    [Theory]
    [InlineData("truncated", "truncated ELF header")]
    [InlineData("bad-magic", "not an ELF file \\(bad magic\\)")]
    [InlineData("wrong-machine", "built for another architecture \\(wrong e_machine\\)")]
    [InlineData("bad-program-headers", "program headers run past the end of the file")]
    [InlineData("fixed-address", "a fixed-address executable: build it as a PIE")]
    [InlineData("dynamic", "symbol \\S+ \\(version GLIBC_[0-9.]+\\) not found, needed by /bad$")]
    public async Task AMalformedOrUnsupportedProgramIsRefusedWithAClearMessage(string kind, string message)
    {
        string hello = TestApps.StaticPieWithMusl("hello");
        byte[] bytes = File.ReadAllBytes(hello);
        string directory = Path.Combine(Kernel.Layout.Root, "build", "test-apps", "bad");
        Directory.CreateDirectory(directory);
        string bad = Path.Combine(directory, kind);
        switch (kind)
        {
            case "truncated":
                bytes = bytes[..40];
                break;
            case "bad-magic":
                bytes[1] = (byte)'X';
                break;
            case "wrong-machine":
                BitConverter.GetBytes((ushort)183).CopyTo(bytes, 18); // EM_AARCH64
                break;
            case "bad-program-headers":
                BitConverter.GetBytes((ulong)bytes.Length - 100).CopyTo(bytes, 32); // e_phoff near the end
                break;
            case "fixed-address":
                BitConverter.GetBytes((ushort)2).CopyTo(bytes, 16); // ET_EXEC
                break;
            case "dynamic":
                bytes = File.ReadAllBytes(TestApps.GlibcHardenedPie("missing")); // BIND_NOW, and strfry is not exported
                break;
        }
        File.WriteAllBytes(bad, bytes);
        string image = Image("bad-" + kind, ("/bad", bad));

        string commandLine = kind == "dynamic" ? "--env=LD_BIND_NOW=1 /bad" : "/bad";
        VmRunResult result = await Kernel.BootAsync(_output, commandLine, disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^Error: /bad: " + message);
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 1);
    }

    [Fact]
    public async Task AMissingProgramIsNamed()
    {
        string image = Image("hello-musl", ("/hello", TestApps.StaticPieWithMusl("hello")));

        VmRunResult result = await Kernel.BootAsync(_output, "/nothing-here", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^Error: /nothing-here: no such file$");
        Kernel.ExitedWith(result, 1);
    }
}
