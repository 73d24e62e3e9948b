using System;
using System.Threading.Tasks;
using Osv.Cli.Qemu;
using Xunit;
using Xunit.Abstractions;

namespace Osv.Integration.Tests;

/// <summary>
/// A real program nobody here wrote: Debian's /usr/bin/lua5.4, copied into the image with every
/// library `ldd` lists (libreadline and libtinfo load from the disk; libc.so.6 and libm.so.6 are
/// present too but the kernel stands in for them), runs tests/apps/debian/compute.lua.
/// </summary>
public sealed class LuaTests
{
    private const string Interpreter = "/usr/bin/lua5.4";
    private readonly ITestOutputHelper _output;

    public LuaTests(ITestOutputHelper output) => _output = output;

    private static string Image()
    {
        Assert.Contains(DebianPrograms.LibrariesLddLists(Interpreter), library => library.EndsWith("/libreadline.so.8", StringComparison.Ordinal));
        return DebianPrograms.Image("lua", new[] { Interpreter }, "compute.lua");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DebiansLuaRunsAScript(int cpus)
    {
        VmRunResult result = await Kernel.BootAsync(_output, "--env=LUA_GREETING=hello /usr/bin/lua5.4 /compute.lua 5 x",
            cpus: cpus, disks: new[] { new DiskAttachment(Image()) });

        Kernel.Line(result, "^fibonacci: 1 1 2 3 5 8 13 21 34 55 89 144$");
        Kernel.Line(result, "^sorted: brown,dog,fox,jumps,lazy,over,quick,the,the$");
        Kernel.Line(result, "^math: pi 3\\.141593, 2\\^10 1024, sqrt\\(2\\) 1\\.4142, 7 // 2 = 3, 7 % 3 = 1$");
        Kernel.Line(result, "^tonumber: 31 2500\\.0 nil$");
        Kernel.Line(result, "^pcall caught: true, message boom$");
        Kernel.Line(result, "^nested: outer after inner false$");
        Kernel.Line(result, "^coroutine: 1 4 9 16$");
        Kernel.Line(result, "^file: 5 lines, sum 15$");
        Kernel.Line(result, "^read number: line 1 / 0 / line$");
        Kernel.Line(result, "^remove: true$");
        Kernel.Line(result, "^date: 1971-01-01 00:00:00$");
        Kernel.Line(result, "^clock is a number: true$");
        Kernel.Line(result, "^getenv: hello$");
        Kernel.Line(result, "^args: 2 5 x$");
        Assert.Empty(Kernel.LinesMatching(result, "PANIC"));
        Kernel.ExitedWith(result, 5);
    }

    [Fact]
    public async Task ALuaErrorEndsTheProgramWithItsMessageAndStatus1()
    {
        string image = Image();

        VmRunResult result = await Kernel.BootAsync(_output, "/usr/bin/lua5.4 -e \"error('deliberate')\"", disks: new[] { new DiskAttachment(image) });

        Kernel.Line(result, "^/usr/bin/lua5\\.4: \\(command line\\):1: deliberate$");
        Kernel.ExitedWith(result, 1);
    }
}
