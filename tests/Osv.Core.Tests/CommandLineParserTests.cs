using Osv.Core.Boot;
using Xunit;

namespace Osv.Core.Tests;

public sealed class CommandLineParserTests
{
    private static KernelOptions Parse(string commandLine)
    {
        CommandLineResult result = CommandLineParser.Parse(commandLine);
        Assert.True(result.Succeeded, result.Error);
        Assert.Null(result.Error);
        return result.Options!;
    }

    private static string ParseError(string commandLine)
    {
        CommandLineResult result = CommandLineParser.Parse(commandLine);
        Assert.False(result.Succeeded);
        Assert.Null(result.Options);
        return result.Error!;
    }

    [Fact]
    public void EmptyLineHasDefaults()
    {
        KernelOptions options = Parse("");
        Assert.Null(options.RootFs);
        Assert.Null(options.DebugFault);
        Assert.False(options.Bootchart);
        Assert.False(options.Verbose);
        Assert.False(options.PreloadZfsLibrary);
        Assert.False(options.ShowHelp);
        Assert.Empty(options.Mounts);
        Assert.Empty(options.Environment);
        Assert.Empty(options.Commands);
        Assert.Empty(Parse("   \t \n ").Commands);
    }

    [Theory]
    [InlineData("rofs")]
    [InlineData("zfs")]
    [InlineData("ramfs")]
    [InlineData("virtiofs")]
    public void RootFsAcceptsEveryKnownFileSystem(string fileSystem)
    {
        Assert.Equal(fileSystem, Parse("--rootfs=" + fileSystem + " /app").RootFs);
        Assert.Equal(fileSystem, Parse("--rootfs " + fileSystem + " /app").RootFs);
    }

    [Fact]
    public void FlagsAreSet()
    {
        KernelOptions options = Parse("--bootchart --verbose --preload-zfs-library --help --selftest");
        Assert.True(options.Bootchart);
        Assert.True(options.SelfTest);
        Assert.False(Parse("--verbose").SelfTest);
        Assert.Equal("threads", Parse("--test=threads").TestSuite);
        Assert.Equal("libc", Parse("--test=libc").TestSuite);
        Assert.Equal("libcs", Parse("--test=libcs").TestSuite);
        Assert.Equal("all", Parse("--test all").TestSuite);
        Assert.Equal("blk", Parse("--test=blk").TestSuite);
        Assert.Equal("vfs", Parse("--test=vfs").TestSuite);
        Assert.Equal("storage", Parse("--bench=storage").Benchmark);
        Assert.Null(Parse("--verbose").TestSuite);
        Assert.Equal("threads", Parse("--bench=threads").Benchmark);
        Assert.True(options.Verbose);
        Assert.True(options.PreloadZfsLibrary);
        Assert.True(options.ShowHelp);
        Assert.True(Parse("--verbose --verbose").Verbose); // repeating a flag is harmless
    }

    [Fact]
    public void MountsAreCollectedInOrder()
    {
        KernelOptions options = Parse("--mount-fs=zfs,/dev/vblk0.1,/data --mount-fs virtiofs,myfs,/mnt/shared /app");
        Assert.Equal(2, options.Mounts.Length);
        Assert.Equal("zfs", options.Mounts[0].Type);
        Assert.Equal("/dev/vblk0.1", options.Mounts[0].Device);
        Assert.Equal("/data", options.Mounts[0].Path);
        Assert.Equal("virtiofs", options.Mounts[1].Type);
        Assert.Equal("myfs", options.Mounts[1].Device);
        Assert.Equal("/mnt/shared", options.Mounts[1].Path);
    }

    [Fact]
    public void EnvironmentIsCollectedInOrder()
    {
        KernelOptions options = Parse("--env=HOME=/ --env PATH=/bin:/usr/bin --env=EMPTY= --env=\"GREETING=hello world\" --env=A=B=C /app");
        Assert.Equal(new[] { "HOME=/", "PATH=/bin:/usr/bin", "EMPTY=", "GREETING=hello world", "A=B=C" }, options.Environment);
    }

    [Theory]
    [InlineData("page")]
    [InlineData("ud")]
    [InlineData("gp")]
    [InlineData("divide")]
    [InlineData("triple")]
    [InlineData("stack-overflow")]
    [InlineData("write-text")]
    [InlineData("exec-data")]
    [InlineData("lazy-stack-overflow")]
    [InlineData("stack-rule")]
    [InlineData("throw")]
    public void DebugFaultAcceptsEveryKind(string kind)
    {
        Assert.Equal(kind, Parse("--debug-fault=" + kind).DebugFault);
    }

    [Fact]
    public void CommandsFollowTheOptions()
    {
        KernelOptions options = Parse("--verbose /hello.so --verbose x");
        Assert.True(options.Verbose);
        AppCommand command = Assert.Single(options.Commands);
        Assert.Equal(new[] { "/hello.so", "--verbose", "x" }, command.Argv);
        Assert.False(command.Background);
    }

    [Fact]
    public void DoubleDashEndsTheOptions()
    {
        KernelOptions options = Parse("--verbose -- --weird-app-name arg");
        Assert.True(options.Verbose);
        Assert.Equal(new[] { "--weird-app-name", "arg" }, Assert.Single(options.Commands).Argv);
    }

    [Fact]
    public void QuotesAndEscapesAreRemoved()
    {
        KernelOptions options = Parse("/path/app arg1 \"arg with spaces\" 'single' esc\\ aped");
        Assert.Equal(new[] { "/path/app", "arg1", "arg with spaces", "single", "esc aped" }, Assert.Single(options.Commands).Argv);
    }

    [Theory]
    [InlineData("'a \"b\" \\c'", "a \"b\" \\c")]          // single quotes keep everything
    [InlineData("\"a \\\"b\\\" \\\\c \\d\"", "a \"b\" \\c \\d")] // double quotes: only \" and \\ are escapes
    [InlineData("a\"b c\"d'e f'g", "ab cde fg")]
    [InlineData("\"\"", "")]
    [InlineData("''", "")]
    [InlineData("\\;\\&\\'\\\"\\\\", ";&'\"\\")]
    [InlineData("\"a;b&c\"", "a;b&c")]
    public void QuotingRules(string word, string expected)
    {
        Assert.Equal(new[] { "/app", expected }, Assert.Single(Parse("/app " + word).Commands).Argv);
    }

    [Fact]
    public void SeparatorsSplitCommands()
    {
        KernelOptions options = Parse("/a 1; /b 2 & /c&/d;/e");
        Assert.Equal(5, options.Commands.Length);
        Assert.Equal(new[] { "/a", "1" }, options.Commands[0].Argv);
        Assert.False(options.Commands[0].Background);
        Assert.Equal(new[] { "/b", "2" }, options.Commands[1].Argv);
        Assert.True(options.Commands[1].Background);
        Assert.Equal(new[] { "/c" }, options.Commands[2].Argv);
        Assert.True(options.Commands[2].Background);
        Assert.Equal(new[] { "/d" }, options.Commands[3].Argv);
        Assert.False(options.Commands[3].Background);
        Assert.Equal(new[] { "/e" }, options.Commands[4].Argv);
        Assert.False(options.Commands[4].Background);
    }

    [Fact]
    public void EmptyCommandsAreSkipped()
    {
        KernelOptions options = Parse(" ; ;; /a && ; & /b ;");
        Assert.Equal(2, options.Commands.Length);
        Assert.Equal(new[] { "/a" }, options.Commands[0].Argv);
        Assert.True(options.Commands[0].Background);
        Assert.Equal(new[] { "/b" }, options.Commands[1].Argv);
        Assert.False(options.Commands[1].Background);
    }

    [Fact]
    public void ASeparatorEndsTheOptions()
    {
        KernelOptions options = Parse("--verbose ; --bootchart");
        Assert.True(options.Verbose);
        Assert.False(options.Bootchart);
        Assert.Equal(new[] { "--bootchart" }, Assert.Single(options.Commands).Argv);
    }

    [Fact]
    public void EverythingTogether()
    {
        KernelOptions options = Parse(
            "--rootfs=zfs --mount-fs=virtiofs,share,/mnt --bootchart --verbose --env=K=V --preload-zfs-library " +
            "--debug-fault=gp /usr/bin/redis-server --port 6379 & /bin/sh -c 'echo hi; ls'");
        Assert.Equal("zfs", options.RootFs);
        Assert.Single(options.Mounts);
        Assert.True(options.Bootchart && options.Verbose && options.PreloadZfsLibrary);
        Assert.False(options.ShowHelp);
        Assert.Equal("gp", options.DebugFault);
        Assert.Equal(new[] { "K=V" }, options.Environment);
        Assert.Equal(2, options.Commands.Length);
        Assert.Equal(new[] { "/usr/bin/redis-server", "--port", "6379" }, options.Commands[0].Argv);
        Assert.True(options.Commands[0].Background);
        Assert.Equal(new[] { "/bin/sh", "-c", "echo hi; ls" }, options.Commands[1].Argv);
    }

    [Theory]
    [InlineData("--foo", "unknown option '--foo'")]
    [InlineData("--foo=bar /app", "unknown option '--foo'")]
    [InlineData("--verbose --rootf=zfs", "unknown option '--rootf'")]
    [InlineData("--rootfs=xfs", "--rootfs: unknown file system 'xfs' (expected rofs, zfs, ramfs or virtiofs)")]
    [InlineData("--rootfs=ZFS", "--rootfs: unknown file system 'ZFS' (expected rofs, zfs, ramfs or virtiofs)")]
    [InlineData("--rootfs=", "--rootfs: missing value")]
    [InlineData("--rootfs", "--rootfs: missing value")]
    [InlineData("--rootfs ; /app", "--rootfs: missing value")]
    [InlineData("--rootfs=zfs --rootfs=rofs", "--rootfs: given more than once")]
    [InlineData("--mount-fs=zfs,/dev/vblk0", "--mount-fs: expected <type>,<device>,<path>, got 'zfs,/dev/vblk0'")]
    [InlineData("--mount-fs=zfs,/dev/vblk0,/data,extra", "--mount-fs: expected <type>,<device>,<path>, got 'zfs,/dev/vblk0,/data,extra'")]
    [InlineData("--mount-fs=,/dev/vblk0,/data", "--mount-fs: expected <type>,<device>,<path>, got ',/dev/vblk0,/data'")]
    [InlineData("--mount-fs=zfs,,/data", "--mount-fs: expected <type>,<device>,<path>, got 'zfs,,/data'")]
    [InlineData("--mount-fs=zfs,/dev/vblk0,", "--mount-fs: expected <type>,<device>,<path>, got 'zfs,/dev/vblk0,'")]
    [InlineData("--mount-fs=zfs", "--mount-fs: expected <type>,<device>,<path>, got 'zfs'")]
    [InlineData("--mount-fs=zfs,/dev/vblk0,data", "--mount-fs: mount point 'data' is not an absolute path")]
    [InlineData("--mount-fs", "--mount-fs: missing value")]
    [InlineData("--env=NOEQUALS", "--env: expected NAME=VALUE, got 'NOEQUALS'")]
    [InlineData("--env==value", "--env: expected NAME=VALUE, got '=value'")]
    [InlineData("--env=", "--env: missing value")]
    [InlineData("--env", "--env: missing value")]
    [InlineData("--debug-fault=segv", "--debug-fault: unknown fault kind 'segv' (expected page, ud, gp, divide, triple, stack-overflow, lazy-stack-overflow, stack-rule, write-text, exec-data or throw)")]
    [InlineData("--debug-fault", "--debug-fault: missing value")]
    [InlineData("--debug-fault=ud --debug-fault=gp", "--debug-fault: given more than once")]
    [InlineData("--verbose=1", "--verbose: takes no value")]
    [InlineData("--bootchart=", "--bootchart: takes no value")]
    [InlineData("--preload-zfs-library=yes", "--preload-zfs-library: takes no value")]
    [InlineData("--help=me", "--help: takes no value")]
    [InlineData("--selftest=all", "--selftest: takes no value")]
    [InlineData("--test=nope", "--test: unknown test suite 'nope' (expected threads, sync, timers, rcu, stacks, syscalls, libc, libcs, blk, vfs or all)")]
    [InlineData("--test=all --test=threads", "--test: given more than once")]
    [InlineData("--test", "--test: missing value")]
    [InlineData("--bench=disk", "--bench: unknown benchmark 'disk' (expected threads or storage)")]
    [InlineData("/app \"open", "unterminated double quote (opened at offset 5)")]
    [InlineData("/app 'open", "unterminated single quote (opened at offset 5)")]
    [InlineData("/app 'it''s", "unterminated single quote (opened at offset 9)")]
    [InlineData("/app \"a\\\"", "unterminated double quote (opened at offset 5)")]
    [InlineData("/app trailing\\", "dangling backslash at the end of the command line")]
    [InlineData("--env \"A=b", "unterminated double quote (opened at offset 6)")]
    [InlineData("--env=\"A=b", "unterminated double quote (opened at offset 6)")]
    public void ErrorsNameTheProblem(string commandLine, string expected)
    {
        Assert.Equal(expected, ParseError(commandLine));
    }

    [Fact]
    public void HelpTextListsEveryOption()
    {
        foreach (string option in new[] { "--rootfs", "--mount-fs", "--bootchart", "--verbose", "--env", "--preload-zfs-library", "--debug-fault", "--selftest", "--test", "--bench", "--help" })
            Assert.Contains(option, CommandLineParser.HelpText);
        Assert.Contains("rofs, zfs, ramfs or virtiofs", CommandLineParser.HelpText);
        foreach (string kind in new[] { "page", "ud", "gp", "divide", "triple", "stack-overflow", "write-text", "exec-data", "throw" })
            Assert.Contains(kind, CommandLineParser.HelpText);
    }
}
